using MiniKube.Api.Coordination;
using MiniKube.Api.Core;
using MiniKube.Testing.Cluster;

namespace MiniKube.Controllers.Tests;

public sealed class ControllerManagerTests(ClusterFixture cluster) : IClassFixture<ClusterFixture>
{
    private static readonly Dictionary<string, string> Labels = new() { ["app"] = "web" };

    [Fact]
    public async Task Standby_controller_manager_takes_over_within_the_lease_duration_when_the_leader_stops()
    {
        var ns = await cluster.NewNamespaceAsync("kcm");
        using var clientA = cluster.NewClient();
        using var clientB = cluster.NewClient();
        var leaseName = $"kcm-{Guid.NewGuid():N}"[..12];
        ControllerManagerOptions Options(string id) => new()
        {
            Identity = id,
            LeaderElectResourceName = leaseName,
            LeaseDuration = TimeSpan.FromSeconds(3),
            RenewDeadline = TimeSpan.FromSeconds(2),
            RetryPeriod = TimeSpan.FromMilliseconds(300),
            Controllers = ["replicaset"],
        };
        var a = new ControllerManager(clientA, Options("host_a"));
        var b = new ControllerManager(clientB, Options("host_b"));
        using var stopA = new CancellationTokenSource();
        using var stopB = new CancellationTokenSource();
        var runA = a.RunAsync(stopA.Token);
        await Eventually.TrueAsync(() => a.IsRunningControllers, "a leading");
        var runB = b.RunAsync(stopB.Token);
        await Eventually.TrueAsync(() => b.Leader == "host_a", "b to see a as leader");
        Assert.False(b.IsRunningControllers);
        var lease = await clientA.GetAsync<Lease>("kube-system", leaseName);
        Assert.Equal("host_a", lease.Spec!.HolderIdentity);

        await clientA.CreateAsync(Objects.ReplicaSet(ns, "web", 1, Labels));
        await Eventually.TrueAsync(() => clientA.ListAsync<Pod>(ns).Result.Items.Count == 1, "the leader's replicaset controller to create a pod");

        await stopA.CancelAsync();
        Assert.Equal(0, await runA);
        var stopped = DateTime.UtcNow;
        await Eventually.TrueAsync(() => b.IsRunningControllers, "b to take over", TimeSpan.FromSeconds(3));
        Assert.True(DateTime.UtcNow - stopped < TimeSpan.FromSeconds(3), "took longer than the lease duration");
        Assert.Equal("host_b", (await clientB.GetAsync<Lease>("kube-system", leaseName)).Spec!.HolderIdentity);

        await clientB.ScaleAsync<MiniKube.Api.Apps.ReplicaSet>(ns, "web", 2);
        await Eventually.TrueAsync(() => clientB.ListAsync<Pod>(ns).Result.Items.Count == 2, "the new leader's replicaset controller to scale up");
        await stopB.CancelAsync();
        Assert.Equal(0, await runB);
    }

    [Theory]
    [InlineData("*", "replicaset", true)]
    [InlineData("*,-replicaset", "replicaset", false)]
    [InlineData("replicaset", "garbagecollector", false)]
    [InlineData("-nodelifecycle,*", "garbagecollector", true)]
    public void Controllers_flag_enables_a_controller_as_kube_controller_manager_does_when_it_is(string flag, string controller, bool enabled)
    {
        var options = new ControllerManagerOptions { Controllers = flag.Split(',') };
        Assert.Equal(enabled, options.IsEnabled(controller));
    }

    [Fact]
    public void Controllers_flag_rejects_an_unknown_controller()
    {
        var e = Assert.Throws<ArgumentException>(() => new ControllerManagerOptions { Controllers = ["*", "-bogus"] }.Validate());
        Assert.Contains("bogus", e.Message, StringComparison.Ordinal);
    }
}
