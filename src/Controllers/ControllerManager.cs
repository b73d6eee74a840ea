using MiniKube.Client;
using MiniKube.Client.Cache;
using MiniKube.Client.Events;
using MiniKube.Client.LeaderElection;

namespace MiniKube.Controllers;

/// <summary>
/// kube-controller-manager in miniature: one SharedInformerFactory, every enabled controller built on it, the
/// informers started, and the controllers run while this instance holds the Lease
/// kube-system/kube-controller-manager. Losing the lease ends <see cref="RunAsync"/> with a non-zero code, as
/// Kubernetes exits ("leaderelection lost") rather than risk two active controller-managers.
/// </summary>
public sealed class ControllerManager(KubeClient client, ControllerManagerOptions options)
{
    public static readonly IReadOnlyList<string> KnownControllers = ["deployment", "replicaset", "garbagecollector", "nodelifecycle"];

    private volatile bool _running;
    private LeaderElector? _elector;

    /// <summary>True while the controllers run (leading, or leader election is off).</summary>
    public bool IsRunningControllers => _running;

    /// <summary>The holder of the lease as last seen.</summary>
    public string? Leader => _elector?.Leader;

    public string Identity => options.Identity;

    /// <summary>0 when cancelled, 1 when leadership was lost.</summary>
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        options.Validate();
        if (!options.LeaderElect)
        {
            await RunControllersAsync(cancellationToken).ConfigureAwait(false);
            return 0;
        }

        _elector = new LeaderElector(client, new LeaderElectionConfig
        {
            LeaseNamespace = options.LeaderElectResourceNamespace,
            LeaseName = options.LeaderElectResourceName,
            Identity = options.Identity,
            LeaseDuration = options.LeaseDuration,
            RenewDeadline = options.RenewDeadline,
            RetryPeriod = options.RetryPeriod,
            TimeProvider = options.TimeProvider,
            OnStartedLeading = RunControllersAsync,
            OnNewLeader = leader => Console.Error.WriteLine(leader == options.Identity
                ? $"successfully acquired lease {options.LeaderElectResourceNamespace}/{options.LeaderElectResourceName}"
                : $"new leader elected: {leader}"),
        });
        await _elector.RunAsync(cancellationToken).ConfigureAwait(false);
        if (cancellationToken.IsCancellationRequested)
        {
            return 0;
        }

        await Console.Error.WriteLineAsync("leaderelection lost").ConfigureAwait(false);
        return 1;
    }

    /// <summary>The enabled controllers, each with its number of workers.</summary>
    public IReadOnlyList<(IController Controller, int Workers)> BuildControllers(SharedInformerFactory informers)
    {
        var time = options.TimeProvider;
        var controllers = new List<(IController, int)>();
        void Add(string name, Func<IController> create, int workers)
        {
            if (options.IsEnabled(name))
            {
                controllers.Add((create(), workers));
            }
        }

        Add("deployment", () => new Deployments.DeploymentController(client, informers, Recorder("deployment-controller"), time), options.ConcurrentDeploymentSyncs);
        Add("replicaset", () => new ReplicaSets.ReplicaSetController(client, informers, Recorder("replicaset-controller"), time), options.ConcurrentReplicaSetSyncs);
        Add("garbagecollector", () => new GarbageCollector.GarbageCollector(client, informers, time), options.ConcurrentGcSyncs);
        Add("nodelifecycle", () => new NodeLifecycle.NodeLifecycleController(client, informers, Recorder("node-controller"), time, options.NodeMonitorGracePeriod), 1);
        return controllers;

        EventRecorder Recorder(string component) => new(client, component, time: time);
    }

    private async Task RunControllersAsync(CancellationToken cancellationToken)
    {
        await using var informers = new SharedInformerFactory(client);
        var controllers = BuildControllers(informers);
        informers.Start();
        _running = true;
        try
        {
            await Console.Error.WriteLineAsync($"started controllers: {string.Join(", ", controllers.Select(c => c.Controller.Name))}").ConfigureAwait(false);
            await Task.WhenAll(controllers.Select(c => c.Controller.RunAsync(c.Workers, cancellationToken))).ConfigureAwait(false);
        }
        finally
        {
            _running = false;
        }
    }
}
