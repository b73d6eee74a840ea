using System.Text.Json.Nodes;
using MiniKube.Api.Core;
using MiniKube.Api.Meta;
using MiniKube.Api.Serialization;
using MiniKube.Client;
using MiniKube.Client.Queues;

namespace MiniKube.NodeAgent.Pods;

/// <summary>
/// The kubelet's status manager for every node of the agent: pod workers say that something changed, a few writers
/// take the newest status of each and write it through pods/{name}/status only when it differs from what was last
/// written, and delete (grace 0, uid precondition) the pods whose containers stopped after a deletion request.
/// A worker queued many times while a writer is busy is written once, with its newest status.
/// </summary>
public sealed class StatusManager : IAsyncDisposable
{
    private const string Deleted = "<deleted>";

    private readonly KubeClient _client;
    private readonly DelayingQueue<PodWorker> _queue;
    private readonly Action<string> _log;
    private readonly TimeSpan _retryAfter;
    private readonly List<Task> _writers = [];

    public StatusManager(KubeClient client, TimeProvider time, Action<string> log, int writers = 4, TimeSpan? retryAfter = null)
    {
        _client = client;
        _log = log;
        _retryAfter = retryAfter ?? TimeSpan.FromSeconds(1);
        _queue = new DelayingQueue<PodWorker>(time);
        for (var i = 0; i < writers; i++)
        {
            _writers.Add(Task.Run(WriteLoopAsync));
        }
    }

    public void Enqueue(PodWorker worker) => _queue.Add(worker);

    private async Task WriteLoopAsync()
    {
        while (true)
        {
            var (worker, shutdown) = await _queue.GetAsync().ConfigureAwait(false);
            if (shutdown)
            {
                return;
            }

            try
            {
                await SyncAsync(worker).ConfigureAwait(false);
            }
#pragma warning disable CA1031 // one failed write is retried; it must not end the writer
            catch (Exception e)
#pragma warning restore CA1031
            {
                _log($"failed to update status for pod {worker.Namespace}/{worker.Name}: {e.Message}");
                _queue.AddAfter(worker, _retryAfter);
            }
            finally
            {
                _queue.Done(worker);
            }
        }
    }

    private async Task SyncAsync(PodWorker worker)
    {
        var snapshot = worker.Snapshot();
        if (snapshot.Removed || worker.LastWrittenStatus == Deleted)
        {
            return;
        }

        if (snapshot.ReadyToDelete)
        {
            try
            {
                await _client.DeleteAsync<Pod>(worker.Namespace, worker.Name, new DeleteOptions
                {
                    ApiVersion = "v1",
                    Kind = "DeleteOptions",
                    GracePeriodSeconds = 0,
                    Preconditions = new Preconditions { Uid = worker.Uid },
                }).ConfigureAwait(false);
            }
            catch (KubeApiException e) when (e.IsNotFound || e.IsConflict)
            {
                // Gone already, or a new pod of that name: not ours to delete.
            }

            worker.LastWrittenStatus = Deleted;
            return;
        }

        var json = ApiJson.Serialize(snapshot.Status);
        if (json == worker.LastWrittenStatus)
        {
            return;
        }

        if (snapshot.Pod.Status is not null && json == ApiJson.Serialize(snapshot.Pod.Status))
        {
            worker.LastWrittenStatus = json;
            return;
        }

        // A merge patch replaces the lists (conditions, containerStatuses) whole, so no resourceVersion is needed and
        // nothing stale survives; the uid makes it fail on a new pod of the same name, as the kubelet's patch does.
        var patch = new JsonObject
        {
            ["metadata"] = new JsonObject { ["uid"] = worker.Uid },
            ["status"] = ApiJson.ToNode(snapshot.Status),
        };
        try
        {
            var updated = await _client.PatchAsync<Pod>(worker.Namespace, worker.Name, PatchType.Merge, patch.ToJsonString(), "status").ConfigureAwait(false);
            worker.LastWrittenStatus = json;
            worker.Update(updated);
        }
        catch (KubeApiException e) when (e.IsNotFound)
        {
            // Deleted meanwhile; the informer will remove the worker.
        }
    }

    public async ValueTask DisposeAsync()
    {
        _queue.ShutDown();
        await Task.WhenAll(_writers).ConfigureAwait(false);
        _queue.Dispose();
    }
}
