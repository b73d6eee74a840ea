using System.Diagnostics;
using MiniKube.Cli.Cluster;
using Xunit.Abstractions;

namespace MiniKube.EndToEnd.Tests;

/// <summary>Issue 5: "Kill the active controller-manager → the standby takes over" (and the same for the scheduler),
/// on the cluster that runs two of each.</summary>
[Collection(ReplicatedClusterCollection.Name)]
public sealed class ControllerManagerFailoverTests(ReplicatedClusterFixture cluster, ITestOutputHelper log)
{
    /// <summary>How late the standby may be beyond the lease duration and one retry period: a loaded machine delays its
    /// tries, and the process that ran the last renewal may have renewed just before it died.</summary>
    private static readonly TimeSpan Margin = TimeSpan.FromSeconds(15);

    [EndToEndTheory]
    [InlineData(ClusterState.ControllerManagerKind)]
    [InlineData(ClusterState.SchedulerKind)]
    public async Task Killing_the_lease_holder_hands_the_lease_to_the_standby_which_then_scales_a_deployment(string kind)
    {
        var ns = await cluster.NewNamespaceAsync("failover");
        using var client = cluster.NewClient(ns);
        var dir = new ClusterDirectory(cluster.Dir);
        try
        {
            var apply = await cluster.MkctlAsync("apply", "-f", E2e.WriteManifest(cluster.Dir, E2e.Deployment("web", 2, "nginx:1.27")), "-n", ns);
            Assert.True(apply.ExitCode == 0, apply.ToString());
            await E2e.WaitRunningAsync(client, ns, "app=web", 2);

            ComponentState? holder = null;
            await E2e.WaitAsync(
                async () => (holder = await LeaseHolders.HolderAsync(cluster.State, dir, kind, default)) is not null,
                async () => $"a {kind} of {cluster.Dir} to hold lease {LeaseHolders.LeaseName(kind)}; it names {await LeaseHolders.HolderIdentityAsync(cluster.State.ApiServerUrl, kind, default) ?? "nobody"}",
                TimeSpan.FromSeconds(60));
            var standby = cluster.State.Components.Single(c => c.Kind == kind && c.Name != holder!.Name);
            var standbyIdentity = LeaseHolders.IdentityFromLog(dir.LogPath(standby.Name), kind);
            Assert.True(standbyIdentity is not null && ComponentProcess.IsRunning(standby.Pid, kind), $"{standby.Name} runs and has said who it is: {ComponentProcess.Tail(dir.LogPath(standby.Name), 5)}");

            ComponentProcess.Kill(holder!.Pid!.Value);
            var sinceKill = Stopwatch.StartNew();
            await E2e.WaitAsync(() => Task.FromResult(!ComponentProcess.IsRunning(holder.Pid, kind)), () => Task.FromResult($"{holder.Name} (pid {holder.Pid}) to die of SIGKILL"), TimeSpan.FromSeconds(10));

            var takeover = ReplicatedClusterFixture.LeaseDuration + ReplicatedClusterFixture.RetryPeriod + Margin;
            await E2e.WaitAsync(
                async () => await LeaseHolders.HolderIdentityAsync(cluster.State.ApiServerUrl, kind, default) == standbyIdentity,
                async () => $"{standby.Name} ({standbyIdentity}) to take lease {LeaseHolders.LeaseName(kind)} from the killed {holder.Name}; it names {await LeaseHolders.HolderIdentityAsync(cluster.State.ApiServerUrl, kind, default)}; {standby.Name}'s log ends: {ComponentProcess.Tail(dir.LogPath(standby.Name), 10)}",
                takeover);
            log.WriteLine($"{standby.Name} took lease {LeaseHolders.LeaseName(kind)} {sinceKill.Elapsed.TotalSeconds:0.0}s after {holder.Name} was killed (lease duration {ReplicatedClusterFixture.LeaseDuration.TotalSeconds}s)");

            // With the old leader dead, the new pods can only come from (or be bound by) the new one.
            var scale = await cluster.KubectlAsync("scale", "deployment/web", "--replicas=5", "-n", ns);
            Assert.True(scale.ExitCode == 0, scale.ToString());
            await E2e.WaitRunningAsync(client, ns, "app=web", 5);
            var status = await cluster.MkctlAsync("status");
            Assert.Matches($"{standby.Name} .*running, leader", status.StandardOutput);
            log.WriteLine($"5 pods Running {sinceKill.Elapsed.TotalSeconds:0.0}s after the kill");
        }
        finally
        {
            await cluster.KubectlAsync("delete", "namespace", ns, "--wait=false");
            var up = await cluster.MkctlAsync(TimeSpan.FromMinutes(4), "up", "--wait", "3m");
            Assert.True(up.ExitCode == 0, up.ToString());
        }
    }
}
