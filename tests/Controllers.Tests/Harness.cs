using MiniKube.Client;
using MiniKube.Client.Cache;
using MiniKube.Client.Events;
using MiniKube.Testing.Cluster;

namespace MiniKube.Controllers.Tests;

/// <summary>Controllers on one informer factory against a test cluster, running until disposed.</summary>
public sealed class Harness : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _runs = [];

    public Harness(ClusterFixture cluster, TimeProvider? time = null)
    {
        Client = cluster.NewClient();
        Informers = new SharedInformerFactory(Client);
        Time = time ?? TimeProvider.System;
        Events = new EventRecorder(Client, "kube-controller-manager", time: Time);
    }

    public KubeClient Client { get; }

    public SharedInformerFactory Informers { get; }

    public EventRecorder Events { get; }

    public TimeProvider Time { get; }

    /// <summary>Starts the informers and runs <paramref name="controllers"/> with two workers each.</summary>
    public async Task StartAsync(params IController[] controllers)
    {
        Informers.Start();
        Assert.True(await Informers.WaitForCacheSyncAsync(new CancellationTokenSource(TimeSpan.FromSeconds(15)).Token), "informers did not sync");
        foreach (var controller in controllers)
        {
            _runs.Add(controller.RunAsync(2, _stop.Token));
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_runs);
        await Informers.DisposeAsync();
        Client.Dispose();
        _stop.Dispose();
    }
}
