using System.Diagnostics;
using System.Text.Json.Nodes;
using MiniKube.Api.Resources;
using MiniKube.Cli.Cluster;
using MiniKube.Testing;
using Xunit.Abstractions;

namespace MiniKube.EndToEnd.Tests;

/// <summary>Issue 5: "Kill the store leader during a rollout → the rollout still completes", on the three-member cluster;
/// and the killed member, started again, catches up with the others.</summary>
[Collection(ReplicatedClusterCollection.Name)]
public sealed class StoreLeaderFailoverTests(ReplicatedClusterFixture cluster, ITestOutputHelper log)
{
    private const int Replicas = 6;

    /// <summary>One pod at a time, each available only after a second: a rollout of several seconds, so the kill lands in it.</summary>
    private const string SlowRollout = "  minReadySeconds: 1\n  strategy:\n    rollingUpdate:\n      maxSurge: 1\n      maxUnavailable: 0\n";

    [EndToEndFact]
    public async Task Killing_the_store_leader_mid_rollout_keeps_the_api_serving_and_the_rollout_completes_and_the_member_catches_up()
    {
        var ns = await cluster.NewNamespaceAsync("storefail");
        using var client = cluster.NewClient(ns);
        try
        {
            var apply = await cluster.MkctlAsync("apply", "-f", E2e.WriteManifest(cluster.Dir, E2e.Deployment("web", Replicas, "nginx:1.26", extraSpec: SlowRollout)), "-n", ns);
            Assert.True(apply.ExitCode == 0, apply.ToString());
            await WaitRolledOutAsync(client, ns, TimeSpan.FromSeconds(120));

            var image = await cluster.KubectlAsync("set", "image", "deployment/web", "main=nginx:1.27", "-n", ns);
            Assert.True(image.ExitCode == 0, image.ToString());
            // Midway: the controller has seen the new template and brought up some of its pods, not all.
            JsonObject midway = [];
            await E2e.WaitAsync(
                async () =>
                {
                    midway = await client.GetAsync(ApiResources.Deployments, ns, "web");
                    return midway["status"]?["observedGeneration"]?.GetValue<long>() >= midway["metadata"]!["generation"]!.GetValue<long>()
                        && Count(midway["status"], "updatedReplicas") is >= 1 and < Replicas;
                },
                async () => $"the rollout to be under way: {await DescribeAsync(client, ns)}",
                TimeSpan.FromSeconds(60));

            var members = cluster.State.StoreMembers.ToList();
            var leaders = await ClusterProbes.StoreLeadersAsync(members, default);
            Assert.True(leaders.Count == 1, $"one store leader, not: {string.Join(", ", leaders)}");
            var victim = members.Single(m => m.Name == leaders[0]);
            var survivors = members.Where(m => m != victim).ToList();
            ComponentProcess.Kill(victim.Pid!.Value);
            var sinceKill = Stopwatch.StartNew();
            log.WriteLine($"killed the store leader {victim.Name} (pid {victim.Pid}) at updatedReplicas={midway["status"]!["updatedReplicas"]}");

            IReadOnlyList<string> newLeaders = [];
            await E2e.WaitAsync(
                async () => (newLeaders = await ClusterProbes.StoreLeadersAsync(survivors, default)).Count == 1,
                () => Task.FromResult($"one of {string.Join(", ", survivors.Select(s => s.Name))} to lead; leaders: [{string.Join(", ", newLeaders)}]"),
                TimeSpan.FromSeconds(30));
            log.WriteLine($"{newLeaders[0]} leads {sinceKill.Elapsed.TotalSeconds:0.0}s after the kill");

            // With the old leader still dead, a user's writes and reads go through.
            var create = await cluster.KubectlAsync("create", "configmap", "after-failover", "--from-literal=leader=" + newLeaders[0], "-n", ns);
            var read = await cluster.KubectlAsync("get", "configmap", "after-failover", "-n", ns, "-o", "jsonpath={.data.leader}");
            var list = await cluster.KubectlAsync("get", "pods", "-n", ns, "--no-headers");
            Assert.True(create.ExitCode == 0, create.ToString());
            Assert.Equal((0, newLeaders[0]), (read.ExitCode, read.StandardOutput.Trim()));
            Assert.True(list.ExitCode == 0 && list.StandardOutput.Contains("web-", StringComparison.Ordinal), list.ToString());
            Assert.False(ComponentProcess.IsRunning(victim.Pid, victim.Kind), $"{victim.Name} came back too early for the test to mean anything");

            await WaitRolledOutAsync(client, ns, TimeSpan.FromSeconds(150));
            log.WriteLine($"rolled out {sinceKill.Elapsed.TotalSeconds:0.0}s after the kill");
            var pods = await E2e.WaitRunningAsync(client, ns, "app=web", Replicas);
            Assert.All(pods, p => Assert.Equal("nginx:1.27", (string?)p["spec"]!["containers"]![0]!["image"]));

            var up = await cluster.MkctlAsync(TimeSpan.FromMinutes(4), "up", "--wait", "3m");
            Assert.True(up.ExitCode == 0, up.ToString());
            await WaitConvergedAsync(members, TimeSpan.FromSeconds(60));
            log.WriteLine($"{victim.Name} restarted and caught up {sinceKill.Elapsed.TotalSeconds:0.0}s after the kill");
        }
        finally
        {
            await cluster.KubectlAsync("delete", "namespace", ns, "--wait=false");
            var up = await cluster.MkctlAsync(TimeSpan.FromMinutes(4), "up", "--wait", "3m");
            Assert.True(up.ExitCode == 0, up.ToString());
        }
    }

    /// <summary>kubectl rollout status's test: the controller has seen the latest spec, and every replica is updated and
    /// available with no old one left.</summary>
    private static async Task WaitRolledOutAsync(MiniKube.Client.KubeClient client, string ns, TimeSpan timeout) =>
        await E2e.WaitAsync(
            async () =>
            {
                var deployment = await client.GetAsync(ApiResources.Deployments, ns, "web");
                var status = deployment["status"];
                return status?["observedGeneration"]?.GetValue<long>() >= deployment["metadata"]!["generation"]!.GetValue<long>()
                    && Count(status, "replicas") == Replicas && Count(status, "updatedReplicas") == Replicas && Count(status, "availableReplicas") == Replicas;
            },
            async () => $"deployment web rolled out: {await DescribeAsync(client, ns)}",
            timeout);

    private static int Count(JsonNode? status, string field) => status?[field]?.GetValue<int>() ?? 0;

    private static async Task<string> DescribeAsync(MiniKube.Client.KubeClient client, string ns)
    {
        try
        {
            var deployment = await client.GetAsync(ApiResources.Deployments, ns, "web");
            return $"generation {deployment["metadata"]!["generation"]}, status {deployment["status"]?.ToJsonString()}; pods: {E2e.Summary(await E2e.PodsAsync(client, ns, "app=web"))}";
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or MiniKube.Client.KubeApiException)
        {
            return $"(the apiserver did not answer: {e.Message})";
        }
    }

    /// <summary>Every member at or past the survivors' revision and, as etcdctl endpoint hashkv computes it at that
    /// revision, the same hash of the key space on all three.</summary>
    private static async Task WaitConvergedAsync(List<ComponentState> members, TimeSpan timeout)
    {
        var endpoints = string.Join(",", members.Select(m => m.ClientUrl!.GetLeftPart(UriPartial.Authority)));
        long? target = null;
        ProcessResult? last = null;
        await E2e.WaitAsync(
            async () =>
            {
                var revisions = await RevisionsAsync(endpoints);
                if (revisions.Count != members.Count || revisions.Min() < (target ??= revisions.Max()))
                {
                    return false;
                }

                last = await EtcdctlAsync("endpoint", "hashkv", "--rev", target.Value.ToString(System.Globalization.CultureInfo.InvariantCulture), "--endpoints", endpoints, "-w", "json");
                var hashes = last.ExitCode == 0 ? JsonNode.Parse(last.StandardOutput)!.AsArray().Select(e => e!["HashKV"]!["hash"]!.GetValue<long>()).ToList() : [];
                return hashes.Count == members.Count && hashes.Distinct().Count() == 1;
            },
            async () => $"the members at revision {target} or later with equal hashkv; revisions [{string.Join(", ", await RevisionsAsync(endpoints))}], etcdctl endpoint hashkv: {last}",
            timeout);
    }

    /// <summary>The revision each member reports through etcdctl endpoint status; none while one does not answer.</summary>
    private static async Task<List<long>> RevisionsAsync(string endpoints)
    {
        var status = await EtcdctlAsync("endpoint", "status", "--endpoints", endpoints, "-w", "json");
        return status.ExitCode == 0
            ? [.. JsonNode.Parse(status.StandardOutput)!.AsArray().Select(e => e!["Status"]!["header"]!["revision"]!.GetValue<long>())]
            : [];
    }

    private static Task<ProcessResult> EtcdctlAsync(params string[] args) =>
        ProcessRunner.RunAsync("etcdctl", args, timeout: TimeSpan.FromSeconds(30), environment: new Dictionary<string, string> { ["ETCDCTL_API"] = "3" });
}
