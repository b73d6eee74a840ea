using System.Collections.Concurrent;
using MiniKube.Api.Apps;
using MiniKube.Api.Core;
using MiniKube.Controllers.Common;
using MiniKube.Controllers.Deployments;
using MiniKube.Testing.Cluster;
using static MiniKube.Controllers.Deployments.DeploymentConditions;
using DeploymentObject = MiniKube.Api.Apps.Deployment;

namespace MiniKube.Controllers.Tests.Deployments;

/// <summary>The deployment controller against a store process and an in-process apiserver; ReplicaSet status comes from
/// <see cref="ReplicaSetStatusSimulator"/>, there being no ReplicaSet controller or node agent in this project.</summary>
public sealed class DeploymentControllerTests(ClusterFixture cluster) : IClassFixture<ClusterFixture>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Deployment_gets_a_hashed_replica_set_it_owns_and_reports_the_rollout_complete()
    {
        var ns = await cluster.NewNamespaceAsync("dep");
        await using var harness = new ControllerHarness(cluster, ns);
        await using var simulator = new ReplicaSetStatusSimulator(harness.Client, ns);
        var client = harness.Client;

        var created = await client.CreateAsync(Fresh(Objects.Deployment(ns, "web", 3)));
        var d = await CompleteAsync(client, ns, "web");

        var rs = Assert.Single((await client.ListAsync<ReplicaSet>(ns)).Items);
        var hash = PodTemplateHash.Compute(created.Spec!.Template, null);
        Assert.Equal($"web-{hash}", rs.Metadata!.Name);
        Assert.Equal(hash, rs.Metadata.Labels![PodTemplateHash.LabelKey]);
        Assert.Equal("web", rs.Metadata.Labels["app"]);
        Assert.Equal(hash, rs.Spec!.Selector!.MatchLabels![PodTemplateHash.LabelKey]);
        Assert.Equal(hash, rs.Spec.Template!.Metadata!.Labels![PodTemplateHash.LabelKey]);
        var owner = Assert.Single(rs.Metadata.OwnerReferences!);
        Assert.Equal(("apps/v1", "Deployment", "web", created.Metadata!.Uid, true, true),
            (owner.ApiVersion, owner.Kind, owner.Name, owner.Uid, owner.Controller, owner.BlockOwnerDeletion));
        Assert.Equal(3, rs.Spec.Replicas);
        Assert.Equal("1", rs.Metadata.Annotations![DeploymentUtil.RevisionAnnotation]);
        Assert.Equal("3", rs.Metadata.Annotations[DeploymentUtil.DesiredReplicasAnnotation]);
        Assert.Equal("4", rs.Metadata.Annotations[DeploymentUtil.MaxReplicasAnnotation]);

        Assert.Equal("1", d.Metadata!.Annotations![DeploymentUtil.RevisionAnnotation]);
        Assert.Equal((3, 3, 3, 3, 0), (d.Status!.Replicas, d.Status.UpdatedReplicas, d.Status.ReadyReplicas, d.Status.AvailableReplicas, d.Status.UnavailableReplicas));
        Assert.Equal((True, MinimumReplicasAvailable), ConditionOf(d, Available));
        Assert.Equal((True, NewRSAvailableReason), ConditionOf(d, Progressing));
        Assert.Equal($"ReplicaSet \"{rs.Metadata.Name}\" has successfully progressed.", Get(d.Status, Progressing)!.Message);
        await EventuallyAsync(async () => (await client.ListAsync<Event>(ns)).Items.Any(e =>
            e.Reason == "ScalingReplicaSet" && e.Message == $"Scaled up replica set {rs.Metadata.Name} from 0 to 3" && e.InvolvedObject?.Name == "web"),
            "the ScalingReplicaSet event");

        // Settled: a status that does not survive the round trip through the apiserver unchanged would be rewritten forever.
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Equal(d.Metadata.ResourceVersion, (await client.GetAsync<DeploymentObject>(ns, "web")).Metadata!.ResourceVersion);
        Assert.Equal(rs.Metadata.ResourceVersion, (await client.GetAsync<ReplicaSet>(ns, rs.Metadata.Name!)).Metadata!.ResourceVersion);
    }

    [Fact]
    public async Task Rolling_update_stays_within_maxSurge_and_maxUnavailable_and_undo_reuses_the_old_replica_set_as_the_next_revision()
    {
        var ns = await cluster.NewNamespaceAsync("roll");
        await using var harness = new ControllerHarness(cluster, ns);
        await using var simulator = new ReplicaSetStatusSimulator(harness.Client, ns);
        var client = harness.Client;
        await client.CreateAsync(Fresh(Objects.Deployment(ns, "web", 10, maxSurge: 3, maxUnavailable: 2)));
        await CompleteAsync(client, ns, "web");
        var first = Assert.Single((await client.ListAsync<ReplicaSet>(ns)).Items);

        var violations = new ConcurrentQueue<string>();
        var maxReplicaSetsSeenActive = 0;
        using var stopWatching = new CancellationTokenSource();
        var watcher = Task.Run(async () =>
        {
            while (!stopWatching.IsCancellationRequested)
            {
                // One list is one consistent state of the store.
                var items = (await client.ListAsync<ReplicaSet>(ns)).Items;
                var total = items.Sum(r => r.Spec?.Replicas ?? 0);
                var available = items.Sum(r => Math.Min(r.Spec?.Replicas ?? 0, r.Status?.AvailableReplicas ?? 0));
                maxReplicaSetsSeenActive = Math.Max(maxReplicaSetsSeenActive, items.Count(r => r.Spec?.Replicas > 0));
                if (total > 13 || available < 8)
                {
                    violations.Enqueue($"{total} pods wanted, {available} available: {string.Join(", ", items.Select(r => $"{r.Metadata!.Name}={r.Spec!.Replicas}/{r.Status?.AvailableReplicas}"))}");
                }

                await Task.Delay(5);
            }
        });

        await UpdateAsync(client, ns, "web", d => d.Spec!.Template!.Spec!.Containers![0].Image = "nginx:1.26");
        var d = await CompleteAsync(client, ns, "web");
        await stopWatching.CancelAsync();
        await watcher;

        Assert.Empty(violations);
        Assert.Equal(2, maxReplicaSetsSeenActive);
        var rss = (await client.ListAsync<ReplicaSet>(ns)).Items;
        Assert.Equal(2, rss.Count);
        var second = rss.Single(r => r.Metadata!.Name != first.Metadata!.Name);
        Assert.Equal((10, 0), (second.Spec!.Replicas, rss.Single(r => r.Metadata!.Name == first.Metadata!.Name).Spec!.Replicas));
        Assert.Equal("2", second.Metadata!.Annotations![DeploymentUtil.RevisionAnnotation]);
        Assert.Equal("2", d.Metadata!.Annotations![DeploymentUtil.RevisionAnnotation]);

        // kubectl rollout undo puts the previous template back; its ReplicaSet becomes the new one again, as revision 3.
        await UpdateAsync(client, ns, "web", x => x.Spec!.Template = first.Spec!.Template is { } t ? WithoutHash(t) : null);
        d = await CompleteAsync(client, ns, "web");
        rss = (await client.ListAsync<ReplicaSet>(ns)).Items;
        Assert.Equal(2, rss.Count);
        var restored = rss.Single(r => r.Metadata!.Name == first.Metadata!.Name);
        Assert.Equal(10, restored.Spec!.Replicas);
        Assert.Equal("3", restored.Metadata!.Annotations![DeploymentUtil.RevisionAnnotation]);
        Assert.Equal("1", restored.Metadata.Annotations[DeploymentUtil.RevisionHistoryAnnotation]);
        Assert.Equal("3", d.Metadata!.Annotations![DeploymentUtil.RevisionAnnotation]);
        Assert.Contains((await client.ListAsync<Event>(ns)).Items, e => e.Message?.StartsWith($"Scaled down replica set {first.Metadata!.Name} from 10 to ", StringComparison.Ordinal) == true);
    }

    [Fact]
    public async Task Scaling_mid_rollout_spreads_the_new_replicas_over_both_replica_sets_in_proportion()
    {
        var ns = await cluster.NewNamespaceAsync("prop");
        await using var harness = new ControllerHarness(cluster, ns);
        await using var simulator = new ReplicaSetStatusSimulator(harness.Client, ns);
        var client = harness.Client;
        await client.CreateAsync(Fresh(Objects.Deployment(ns, "web", 10, maxSurge: 3, maxUnavailable: 2)));
        await CompleteAsync(client, ns, "web");
        var old = Assert.Single((await client.ListAsync<ReplicaSet>(ns)).Items).Metadata!.Name!;

        // An image that never starts: the rollout stalls at 8 old + 5 new pods (10 + 3 surge, 8 available).
        await UpdateAsync(client, ns, "web", d => d.Spec!.Template!.Spec!.Containers![0].Image = ReplicaSetStatusSimulator.BrokenImage);
        await EventuallyAsync(async () => Sizes(await client.ListAsync<ReplicaSet>(ns), old) == (8, 5), "the rollout to stall at 8 old + 5 new");
        var d = await client.GetAsync<DeploymentObject>(ns, "web");
        Assert.Equal((True, MinimumReplicasAvailable), ConditionOf(d, Available));

        await client.ScaleAsync<DeploymentObject>(ns, "web", 15);
        await EventuallyAsync(async () => Sizes(await client.ListAsync<ReplicaSet>(ns), old) == (11, 7), "15 + 3 replicas spread as 11 old + 7 new");
    }

    [Fact]
    public async Task Recreate_scales_the_old_replica_set_to_zero_and_creates_the_new_one_only_once_its_pods_are_gone()
    {
        var ns = await cluster.NewNamespaceAsync("recreate");
        await using var harness = new ControllerHarness(cluster, ns);
        await using var simulator = new ReplicaSetStatusSimulator(harness.Client, ns);
        var client = harness.Client;
        await client.CreateAsync(Fresh(Objects.Deployment(ns, "web", 3, strategy: "Recreate")));
        await CompleteAsync(client, ns, "web");

        simulator.Paused = true;
        var changed = await UpdateAsync(client, ns, "web", d => d.Spec!.Template!.Spec!.Containers![0].Image = "nginx:1.26");
        await EventuallyAsync(async () => (await client.GetAsync<DeploymentObject>(ns, "web")).Status?.ObservedGeneration == changed.Metadata!.Generation,
            "the controller to observe the new template");
        var only = Assert.Single((await client.ListAsync<ReplicaSet>(ns)).Items);
        Assert.Equal((0, 3), (only.Spec!.Replicas, only.Status!.Replicas));

        simulator.Paused = false;
        await CompleteAsync(client, ns, "web");
        var rss = (await client.ListAsync<ReplicaSet>(ns)).Items;
        Assert.Equal(2, rss.Count);
        Assert.Equal(3, rss.Single(r => r.Metadata!.Name != only.Metadata!.Name).Spec!.Replicas);
    }

    [Fact]
    public async Task Paused_deployment_scales_but_does_not_roll_out_until_resumed()
    {
        var ns = await cluster.NewNamespaceAsync("paused");
        await using var harness = new ControllerHarness(cluster, ns);
        await using var simulator = new ReplicaSetStatusSimulator(harness.Client, ns);
        var client = harness.Client;
        await client.CreateAsync(Fresh(Objects.Deployment(ns, "web", 4)));
        await CompleteAsync(client, ns, "web");

        await UpdateAsync(client, ns, "web", d => d.Spec!.Paused = true);
        await EventuallyAsync(async () => ConditionOf(await client.GetAsync<DeploymentObject>(ns, "web"), Progressing) == (Unknown, PausedDeployReason),
            "Progressing=Unknown DeploymentPaused");
        var changed = await UpdateAsync(client, ns, "web", d =>
        {
            d.Spec!.Template!.Spec!.Containers![0].Image = "nginx:1.26";
            d.Spec.Replicas = 6;
        });
        await EventuallyAsync(async () => Assert.Single((await client.ListAsync<ReplicaSet>(ns)).Items).Spec!.Replicas == 6
            && (await client.GetAsync<DeploymentObject>(ns, "web")).Status?.ObservedGeneration == changed.Metadata!.Generation,
            "the paused deployment's only replica set to be scaled to 6");

        await UpdateAsync(client, ns, "web", d => d.Spec!.Paused = false);
        var done = await CompleteAsync(client, ns, "web");
        var rss = (await client.ListAsync<ReplicaSet>(ns)).Items;
        Assert.Equal(2, rss.Count);
        Assert.Equal([0, 6], rss.Select(r => r.Spec!.Replicas ?? 0).Order());
        Assert.Equal("2", done.Metadata!.Annotations![DeploymentUtil.RevisionAnnotation]);
    }

    [Fact]
    public async Task Old_replica_sets_beyond_revisionHistoryLimit_are_deleted()
    {
        var ns = await cluster.NewNamespaceAsync("history");
        await using var harness = new ControllerHarness(cluster, ns);
        await using var simulator = new ReplicaSetStatusSimulator(harness.Client, ns);
        var client = harness.Client;
        var spec = Objects.Deployment(ns, "web", 2);
        spec.Spec!.RevisionHistoryLimit = 1;
        await client.CreateAsync(Fresh(spec));
        await CompleteAsync(client, ns, "web");

        foreach (var image in new[] { "nginx:1.26", "nginx:1.27" })
        {
            await UpdateAsync(client, ns, "web", d => d.Spec!.Template!.Spec!.Containers![0].Image = image);
            await CompleteAsync(client, ns, "web");
        }

        await EventuallyAsync(async () => (await client.ListAsync<ReplicaSet>(ns)).Items.Count == 2, "one old replica set to be left");
        var images = (await client.ListAsync<ReplicaSet>(ns)).Items.Select(r => r.Spec!.Template!.Spec!.Containers![0].Image).Order();
        Assert.Equal(["nginx:1.26", "nginx:1.27"], images);
    }

    [Fact]
    public async Task Orphan_replica_set_matching_the_selector_is_adopted_and_released_once_its_labels_no_longer_match()
    {
        var ns = await cluster.NewNamespaceAsync("adopt");
        await using var harness = new ControllerHarness(cluster, ns);
        await using var simulator = new ReplicaSetStatusSimulator(harness.Client, ns);
        var client = harness.Client;
        await client.CreateAsync(new ReplicaSet
        {
            Metadata = new() { Name = "orphan", Namespace = ns, Labels = new() { ["app"] = "web" } },
            Spec = new ReplicaSetSpec
            {
                Replicas = 2,
                Selector = new() { MatchLabels = new() { ["app"] = "web" } },
                Template = Objects.Template("web", "nginx:1.25"),
            },
        });

        var d = await client.CreateAsync(Fresh(Objects.Deployment(ns, "web", 2)));
        await CompleteAsync(client, ns, "web");
        var adopted = Assert.Single((await client.ListAsync<ReplicaSet>(ns)).Items);
        Assert.Equal("orphan", adopted.Metadata!.Name);
        Assert.Equal(d.Metadata!.Uid, Assert.Single(adopted.Metadata.OwnerReferences!).Uid);

        adopted.Metadata.Labels = new() { ["app"] = "elsewhere" };
        await client.UpdateAsync(adopted);
        await EventuallyAsync(async () => (await client.GetAsync<ReplicaSet>(ns, "orphan")).Metadata!.OwnerReferences is null or { Count: 0 },
            "the replica set to be released");
        await EventuallyAsync(async () => (await client.ListAsync<ReplicaSet>(ns)).Items.Any(r => r.Metadata!.Name!.StartsWith("web-", StringComparison.Ordinal)),
            "a replica set of its own for the deployment");
    }

    [Fact]
    public async Task Rollout_that_makes_no_progress_exceeds_its_progress_deadline()
    {
        var ns = await cluster.NewNamespaceAsync("deadline");
        await using var harness = new ControllerHarness(cluster, ns);
        await using var simulator = new ReplicaSetStatusSimulator(harness.Client, ns);
        var client = harness.Client;
        var spec = Objects.Deployment(ns, "web", 3, image: ReplicaSetStatusSimulator.BrokenImage);
        spec.Spec!.ProgressDeadlineSeconds = 1;
        await client.CreateAsync(Fresh(spec));

        // Under load the deadline may pass before the simulator has reported the ReplicaSet's pods; the counts follow.
        await EventuallyAsync(
            async () => await client.GetAsync<DeploymentObject>(ns, "web") is var current
                && ConditionOf(current, Progressing) == (False, TimedOutReason) && current.Status?.Replicas == 3,
            "Progressing=False ProgressDeadlineExceeded with the 3 pods reported");
        var d = await client.GetAsync<DeploymentObject>(ns, "web");
        Assert.Equal((False, MinimumReplicasUnavailable), ConditionOf(d, Available));
        Assert.Equal((3, 0, 3), (d.Status!.Replicas, d.Status.AvailableReplicas, d.Status.UnavailableReplicas));
    }

    [Fact]
    public async Task Name_taken_by_another_replica_set_bumps_collisionCount_and_the_next_hash_is_used()
    {
        var ns = await cluster.NewNamespaceAsync("collide");
        await using var harness = new ControllerHarness(cluster, ns);
        await using var simulator = new ReplicaSetStatusSimulator(harness.Client, ns);
        var client = harness.Client;
        // Paused, it creates no ReplicaSet yet: the squatter can take the name first.
        var spec = Fresh(Objects.Deployment(ns, "web", 1));
        spec.Spec!.Paused = true;
        var created = await client.CreateAsync(spec);
        var hash = PodTemplateHash.Compute(created.Spec!.Template, null);
        await client.CreateAsync(new ReplicaSet
        {
            Metadata = new() { Name = $"web-{hash}", Namespace = ns, Labels = new() { ["app"] = "squatter" } },
            Spec = new ReplicaSetSpec
            {
                Replicas = 0,
                Selector = new() { MatchLabels = new() { ["app"] = "squatter" } },
                Template = Objects.Template("squatter", "busybox"),
            },
        });

        await UpdateAsync(client, ns, "web", x => x.Spec!.Paused = false);
        var d = await CompleteAsync(client, ns, "web");

        Assert.Equal(1, d.Status!.CollisionCount);
        var next = PodTemplateHash.Compute(created.Spec!.Template, 1);
        var ours = (await client.ListAsync<ReplicaSet>(ns)).Items.Single(r => r.Metadata!.OwnerReferences is { Count: > 0 });
        Assert.Equal($"web-{next}", ours.Metadata!.Name);
    }

    /// <summary>The object as a client would send it (no uid or generation).</summary>
    private static DeploymentObject Fresh(DeploymentObject d)
    {
        d.Metadata!.Uid = null;
        d.Metadata.Generation = null;
        return d;
    }

    private static PodTemplateSpec WithoutHash(PodTemplateSpec template)
    {
        var copy = ControllerRefs.DeepCopy(template);
        copy.Metadata!.Labels!.Remove(PodTemplateHash.LabelKey);
        return copy;
    }

    private static (int Old, int New) Sizes(Client.ObjectList<ReplicaSet> list, string oldName) =>
        (list.Items.Where(r => r.Metadata!.Name == oldName).Sum(r => r.Spec!.Replicas ?? 0),
         list.Items.Where(r => r.Metadata!.Name != oldName).Sum(r => r.Spec!.Replicas ?? 0));

    private static (string?, string?) ConditionOf(DeploymentObject d, string type) =>
        Get(d.Status, type) is { } c ? (c.Status, c.Reason) : (null, null);

    /// <summary>Get, change, update; retried on conflicts with the controller's writes.</summary>
    private static async Task<DeploymentObject> UpdateAsync(Client.KubeClient client, string ns, string name, Action<DeploymentObject> change)
    {
        for (var attempt = 0; ; attempt++)
        {
            var d = await client.GetAsync<DeploymentObject>(ns, name);
            change(d);
            try
            {
                return await client.UpdateAsync(d);
            }
            catch (Client.KubeApiException e) when (e.IsConflict && attempt < 20)
            {
            }
        }
    }

    /// <summary>Waits until the Deployment's status says its latest generation is fully rolled out.</summary>
    private static async Task<DeploymentObject> CompleteAsync(Client.KubeClient client, string ns, string name)
    {
        DeploymentObject? d = null;
        await EventuallyAsync(async () =>
        {
            d = await client.GetAsync<DeploymentObject>(ns, name);
            return DeploymentUtil.DeploymentComplete(d, d.Status) && ConditionOf(d, Progressing) == (True, NewRSAvailableReason);
        }, $"deployment {name} to complete its rollout");
        return d!;
    }

    private static async Task EventuallyAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"timed out waiting for {what}");
            }

            await Task.Delay(20);
        }
    }
}
