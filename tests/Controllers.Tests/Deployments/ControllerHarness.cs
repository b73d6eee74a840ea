using MiniKube.Client;
using MiniKube.Client.Cache;
using MiniKube.Client.Events;
using MiniKube.Controllers.Deployments;
using MiniKube.Testing.Cluster;

namespace MiniKube.Controllers.Tests.Deployments;

/// <summary>A deployment controller with its own informers over one namespace of a test cluster, running two workers.</summary>
internal sealed class ControllerHarness : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly SharedInformerFactory _informers;
    private readonly DeploymentController _controller;
    private readonly Task _run;

    public ControllerHarness(ClusterFixture cluster, string @namespace)
    {
        Client = cluster.NewClient(@namespace);
        _informers = new SharedInformerFactory(Client, new ReflectorOptions
        {
            Namespace = @namespace,
            BackoffInitial = TimeSpan.FromMilliseconds(100),
            BackoffMax = TimeSpan.FromSeconds(1),
            Seed = 7,
        });
        _controller = new DeploymentController(Client, _informers, new EventRecorder(Client, "deployment-controller"), TimeProvider.System)
        {
            Log = e => Errors.Add(e),
        };
        _informers.Start();
        _run = _controller.RunAsync(2, _stop.Token);
    }

    public KubeClient Client { get; }

    /// <summary>What the controller logged as failed syncs (conflicts are expected now and then).</summary>
    public System.Collections.Concurrent.ConcurrentBag<string> Errors { get; } = [];

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _run;
        await _informers.DisposeAsync();
        _controller.Dispose();
        Client.Dispose();
        _stop.Dispose();
    }
}
