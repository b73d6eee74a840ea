using MiniKube.Api.Core;
using MiniKube.Client;
using MiniKube.Client.Cache;
using MiniKube.Client.Events;
using MiniKube.Client.LeaderElection;

namespace MiniKube.Scheduler;

/// <summary>
/// The scheduler as a process runs it (cmd/kube-scheduler's app.Run): informers on pods and nodes fill the cache and
/// the queue from the start, and pods are scheduled only while this instance holds the kube-system/kube-scheduler
/// Lease. <see cref="RunAsync"/> returns when cancelled or when leadership is lost (the process then exits, as
/// kube-scheduler does, so that it starts again from a fresh cache).
/// </summary>
public sealed class SchedulerHost : IDisposable
{
    private readonly KubeClient _client;
    private readonly SchedulerHostOptions _options;
    private volatile bool _leading;

    public SchedulerHost(KubeClient client, SchedulerHostOptions options)
    {
        _client = client;
        _options = options;
        var recorder = new EventRecorder(client, options.Scheduler.SchedulerName, options.Identity, options.Scheduler.TimeProvider, options.Scheduler.Log);
        Scheduler = new KubeScheduler(new KubeSchedulerApi(client, recorder), options.Scheduler);
    }

    public KubeScheduler Scheduler { get; }

    /// <summary>True while this instance schedules (always, once started, without leader election).</summary>
    public bool IsLeader => _leading;

    /// <summary>Whether leadership was lost (rather than the run cancelled).</summary>
    public bool LostLeadership { get; private set; }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var informers = new SharedInformerFactory(_client, new ReflectorOptions { OnError = e => _options.Scheduler.Log?.Invoke($"watch failed: {e.Message}") });
        await using (informers.ConfigureAwait(false))
        {
            var pods = informers.For<Pod>();
            var nodes = informers.For<Node>();
            using var podHandler = pods.AddEventHandler(Scheduler.OnPodAdd, Scheduler.OnPodUpdate, Scheduler.OnPodDelete);
            using var nodeHandler = nodes.AddEventHandler(Scheduler.OnNodeAdd, Scheduler.OnNodeUpdate, Scheduler.OnNodeDelete);
            informers.Start();
            if (!await informers.WaitForCacheSyncAsync(cancellationToken).ConfigureAwait(false))
            {
                return;
            }

            if (!_options.LeaderElect)
            {
                await LeadAsync(cancellationToken).ConfigureAwait(false);
                return;
            }

            var elector = new LeaderElector(_client, new LeaderElectionConfig
            {
                LeaseNamespace = _options.LeaseNamespace,
                LeaseName = _options.LeaseName,
                Identity = _options.Identity,
                LeaseDuration = _options.LeaseDuration,
                RenewDeadline = _options.RenewDeadline,
                RetryPeriod = _options.RetryPeriod,
                TimeProvider = _options.Scheduler.TimeProvider,
                OnStartedLeading = LeadAsync,
            });
            await elector.RunAsync(cancellationToken).ConfigureAwait(false);
            LostLeadership = !cancellationToken.IsCancellationRequested;
        }
    }

    public void Dispose() => Scheduler.Dispose();

    private async Task LeadAsync(CancellationToken cancellationToken)
    {
        _leading = true;
        try
        {
            await Scheduler.RunAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        finally
        {
            _leading = false;
        }
    }
}
