using MiniKube.Api.Apps;
using MiniKube.Client;

namespace MiniKube.Controllers.Tests.Deployments;

/// <summary>
/// Stands in for the ReplicaSet controller and the node agents, which this branch does not have: it polls a
/// namespace's ReplicaSets and reports every wanted pod as created, ready and available
/// (status replicas/ready/available = spec.replicas, observedGeneration = generation) — except pods of the image
/// <see cref="BrokenImage"/>, which are created but never become ready. While <see cref="Paused"/> it reports
/// nothing, so a test can hold old pods in place.
/// </summary>
internal sealed class ReplicaSetStatusSimulator : IAsyncDisposable
{
    private readonly KubeClient _client;
    private readonly string _namespace;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public ReplicaSetStatusSimulator(KubeClient client, string @namespace)
    {
        _client = client;
        _namespace = @namespace;
        _loop = Task.Run(LoopAsync);
    }

    public const string BrokenImage = "registry.invalid/broken:1";

    public volatile bool Paused;

    private async Task LoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                if (!Paused)
                {
                    await ReportAsync();
                }

                await Task.Delay(25, _stop.Token);
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (KubeApiException)
            {
                // A conflict with the controller's own write: the next round reads again.
            }
        }
    }

    private async Task ReportAsync()
    {
        var list = await _client.ListAsync<ReplicaSet>(_namespace, cancellationToken: _stop.Token);
        foreach (var rs in list.Items)
        {
            var want = rs.Spec?.Replicas ?? 0;
            var ready = rs.Spec?.Template?.Spec?.Containers?.Any(c => c.Image == BrokenImage) == true ? 0 : want;
            var status = rs.Status ?? new ReplicaSetStatus();
            if (status.Replicas == want && status.AvailableReplicas == ready && status.ReadyReplicas == ready && status.ObservedGeneration == rs.Metadata?.Generation)
            {
                continue;
            }

            rs.Status = new ReplicaSetStatus
            {
                Replicas = want,
                FullyLabeledReplicas = want,
                ReadyReplicas = ready,
                AvailableReplicas = ready,
                ObservedGeneration = rs.Metadata?.Generation,
            };
            await _client.UpdateStatusAsync(rs, _stop.Token);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
    }
}
