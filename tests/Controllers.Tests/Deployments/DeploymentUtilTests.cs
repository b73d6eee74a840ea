using MiniKube.Api.Meta;
using MiniKube.Controllers.Deployments;

namespace MiniKube.Controllers.Tests.Deployments;

public sealed class DeploymentUtilTests
{
    [Theory]
    [InlineData("25%", "25%", 10, 3, 2)]
    [InlineData("25%", "25%", 4, 1, 1)]
    [InlineData("25%", "25%", 1, 1, 0)]
    [InlineData("30%", "30%", 5, 2, 1)]
    [InlineData("0", "0", 5, 0, 1)]
    [InlineData("0%", "0%", 3, 0, 1)]
    [InlineData("3", "2", 10, 3, 2)]
    [InlineData("0%", "1%", 10, 0, 1)]
    public void ResolveFenceposts_rounds_surge_up_and_unavailable_down_and_never_returns_both_zero(
        string surge, string unavailable, int desired, int expectedSurge, int expectedUnavailable)
    {
        static IntOrString Parse(string v) => int.TryParse(v, out var n) ? n : v;

        var (s, u) = DeploymentUtil.ResolveFenceposts(Parse(surge), Parse(unavailable), desired);

        Assert.Equal((expectedSurge, expectedUnavailable), (s, u));
    }

    [Fact]
    public void MaxUnavailable_is_capped_by_replicas_and_zero_for_recreate_or_no_replicas()
    {
        Assert.Equal(2, DeploymentUtil.MaxUnavailable(Objects.Deployment("ns", "d", 2, maxSurge: 0, maxUnavailable: 5)));
        Assert.Equal(0, DeploymentUtil.MaxUnavailable(Objects.Deployment("ns", "d", 0)));
        Assert.Equal(0, DeploymentUtil.MaxUnavailable(Objects.Deployment("ns", "d", 5, strategy: "Recreate")));
        Assert.Equal(0, DeploymentUtil.MaxSurge(Objects.Deployment("ns", "d", 5, strategy: "Recreate")));
    }

    [Theory]
    // replicas, maxSurge, new RS size, old RS size → new RS size allowed now
    [InlineData(10, "25%", 0, 10, 3)]
    [InlineData(10, "25%", 3, 10, 3)]
    [InlineData(10, "25%", 3, 8, 5)]
    [InlineData(10, "25%", 9, 0, 10)]
    [InlineData(10, "0", 0, 10, 0)]
    [InlineData(4, "1", 0, 4, 1)]
    public void NewRSNewReplicas_keeps_all_pods_within_replicas_plus_maxSurge(int replicas, string surge, int newSize, int oldSize, int expected)
    {
        IntOrString maxSurge = int.TryParse(surge, out var n) ? n : surge;
        var d = Objects.Deployment("ns", "web", replicas, maxSurge: maxSurge, maxUnavailable: 1);
        var newRs = Objects.ReplicaSet("new", newSize, 1);
        var oldRs = Objects.ReplicaSet("old", oldSize, 0);

        Assert.Equal(expected, DeploymentUtil.NewRSNewReplicas(d, [oldRs, newRs], newRs));
    }

    [Fact]
    public void NewRSNewReplicas_waits_for_the_pods_an_old_replica_set_still_has_after_being_scaled_down()
    {
        var d = Objects.Deployment("ns", "web", 4, maxSurge: 1, maxUnavailable: 1);
        var newRs = Objects.ReplicaSet("new", 1, 1);
        var oldRs = Objects.ReplicaSet("old", 3, 0);
        oldRs.Status!.Replicas = 4;

        Assert.Equal(1, DeploymentUtil.NewRSNewReplicas(d, [oldRs, newRs], newRs));

        oldRs.Status.Replicas = 3;
        Assert.Equal(2, DeploymentUtil.NewRSNewReplicas(d, [oldRs, newRs], newRs));
    }

    [Fact]
    public void NewRSNewReplicas_is_all_replicas_at_once_for_recreate()
    {
        var d = Objects.Deployment("ns", "web", 7, strategy: "Recreate");
        var newRs = Objects.ReplicaSet("new", 0, 1);

        Assert.Equal(7, DeploymentUtil.NewRSNewReplicas(d, [Objects.ReplicaSet("old", 7), newRs], newRs));
    }

    [Fact]
    public void FindNewReplicaSet_picks_the_oldest_with_the_deployments_template_ignoring_the_hash_label()
    {
        var d = Objects.Deployment("ns", "web", 3, image: "nginx:1.26");
        var hashed = Objects.Template("web", "nginx:1.26");
        hashed.Metadata!.Labels![PodTemplateHash.LabelKey] = "abc";
        var other = Objects.ReplicaSet("web-other", 3, 0, Objects.Template("web", "nginx:1.25"));
        var newer = Objects.ReplicaSet("web-newer", 0, 20, Objects.Template("web", "nginx:1.26"));
        var match = Objects.ReplicaSet("web-abc", 1, 10, hashed);

        Assert.Same(match, DeploymentUtil.FindNewReplicaSet(d, [other, newer, match]));
        var (withReplicas, all) = DeploymentUtil.FindOldReplicaSets(d, [other, newer, match]);
        Assert.Equal(["web-other"], withReplicas.Select(r => r.Metadata!.Name));
        Assert.Equal(["web-other", "web-newer"], all.Select(r => r.Metadata!.Name));
    }

    [Fact]
    public void EqualIgnoreHash_tells_templates_apart_by_anything_but_the_hash_label()
    {
        var a = Objects.Template("web", "nginx:1");
        var b = Objects.Template("web", "nginx:1");
        b.Metadata!.Labels![PodTemplateHash.LabelKey] = "xyz";

        Assert.True(DeploymentUtil.EqualIgnoreHash(a, b));
        Assert.False(DeploymentUtil.EqualIgnoreHash(a, Objects.Template("web", "nginx:2")));
        Assert.False(DeploymentUtil.EqualIgnoreHash(a, Objects.Template("api", "nginx:1")));
    }

    [Fact]
    public void SetNewReplicaSetAnnotations_raises_the_revision_remembers_the_old_one_and_copies_deployment_annotations()
    {
        var d = Objects.Deployment("ns", "web", 10);
        d.Metadata!.Annotations = new()
        {
            ["team"] = "blue",
            [DeploymentUtil.RevisionAnnotation] = "7",
            [DeploymentUtil.LastAppliedConfigAnnotation] = "{}",
        };
        var rs = Objects.ReplicaSet("web-1", 0, revision: 1);

        Assert.True(DeploymentUtil.SetNewReplicaSetAnnotations(d, rs, "3", exists: true));
        Assert.Equal("3", rs.Metadata!.Annotations![DeploymentUtil.RevisionAnnotation]);
        Assert.Equal("1", rs.Metadata.Annotations[DeploymentUtil.RevisionHistoryAnnotation]);
        Assert.Equal("blue", rs.Metadata.Annotations["team"]);
        Assert.False(rs.Metadata.Annotations.ContainsKey(DeploymentUtil.LastAppliedConfigAnnotation));

        Assert.True(DeploymentUtil.SetNewReplicaSetAnnotations(d, rs, "5", exists: true));
        Assert.Equal("1,3", rs.Metadata.Annotations[DeploymentUtil.RevisionHistoryAnnotation]);
        Assert.False(DeploymentUtil.SetNewReplicaSetAnnotations(d, rs, "4", exists: true));
        Assert.Equal("5", rs.Metadata.Annotations[DeploymentUtil.RevisionAnnotation]);
    }

    [Fact]
    public void SetNewReplicaSetAnnotations_gives_a_new_replica_set_its_desired_and_max_replicas()
    {
        var d = Objects.Deployment("ns", "web", 10);
        var rs = Objects.ReplicaSet("web-1", 0);

        DeploymentUtil.SetNewReplicaSetAnnotations(d, rs, "1", exists: false);

        Assert.Equal("10", rs.Metadata!.Annotations![DeploymentUtil.DesiredReplicasAnnotation]);
        Assert.Equal("13", rs.Metadata.Annotations[DeploymentUtil.MaxReplicasAnnotation]);
        Assert.False(rs.Metadata.Annotations.ContainsKey(DeploymentUtil.RevisionHistoryAnnotation));
    }

    [Fact]
    public void Revision_and_MaxRevision_read_the_annotation_and_treat_a_missing_one_as_zero()
    {
        Assert.Equal(0, DeploymentUtil.Revision(Objects.ReplicaSet("a", 0)));
        Assert.Equal(12, DeploymentUtil.MaxRevision([Objects.ReplicaSet("a", 0, revision: 3), Objects.ReplicaSet("b", 0, revision: 12), Objects.ReplicaSet("c", 0)]));
        Assert.Equal(0, DeploymentUtil.MaxRevision([]));
    }

    [Fact]
    public void FindActiveOrLatest_returns_the_only_active_replica_set_or_else_the_newest_and_null_mid_rollout()
    {
        var old1 = Objects.ReplicaSet("old1", 0, 0);
        var old2 = Objects.ReplicaSet("old2", 0, 5);
        var newRs = Objects.ReplicaSet("new", 0, 9);

        Assert.Same(newRs, DeploymentUtil.FindActiveOrLatest(newRs, [old1, old2]));
        Assert.Same(old2, DeploymentUtil.FindActiveOrLatest(null, [old2, old1]));
        Assert.Equal("old1", DeploymentUtil.FindActiveOrLatest(newRs, [Objects.ReplicaSet("old1", 3, 0), old2])!.Metadata!.Name);
        Assert.Null(DeploymentUtil.FindActiveOrLatest(Objects.ReplicaSet("new", 1, 9), [Objects.ReplicaSet("old1", 3, 0)]));
    }

    [Fact]
    public void IsSaturated_requires_the_desired_annotation_size_and_availability_all_to_match()
    {
        var d = Objects.Deployment("ns", "web", 3);
        var rs = Objects.ReplicaSet("new", 3);
        Assert.False(DeploymentUtil.IsSaturated(d, rs));

        rs.Metadata!.Annotations![DeploymentUtil.DesiredReplicasAnnotation] = "3";
        Assert.True(DeploymentUtil.IsSaturated(d, rs));

        rs.Status!.AvailableReplicas = 2;
        Assert.False(DeploymentUtil.IsSaturated(d, rs));
    }

    [Fact]
    public void RevisionHistory_deletes_the_lowest_revisions_beyond_the_limit_but_never_one_with_pods_or_unobserved_changes()
    {
        var rss = Enumerable.Range(1, 5).Select(i => Objects.ReplicaSet($"rs{i}", 0, i, revision: i)).ToList();
        rss[1].Status!.Replicas = 1;
        rss[2].Metadata!.Generation = 2;

        var doomed = RevisionHistory.ToDelete(rss, 1);

        Assert.Equal(["rs1", "rs4"], doomed.Select(r => r.Metadata!.Name));
        Assert.Empty(RevisionHistory.ToDelete(rss, 5));
    }

    [Fact]
    public void OldPodsRunning_counts_old_replica_set_status_and_old_pods_not_yet_terminated()
    {
        var newRs = Objects.ReplicaSet("new", 0);
        var old = Objects.ReplicaSet("old", 0);
        old.Status!.Replicas = 0;
        Api.Core.Pod Pod(string phase) => new() { Status = new Api.Core.PodStatus { Phase = phase } };

        Assert.False(DeploymentController.OldPodsRunning(newRs, [old], new() { ["uid-new"] = [Pod("Running")], ["uid-old"] = [Pod("Succeeded"), Pod("Failed")] }));
        Assert.True(DeploymentController.OldPodsRunning(newRs, [old], new() { ["uid-old"] = [Pod("Running")] }));
        Assert.True(DeploymentController.OldPodsRunning(newRs, [old], new() { ["uid-old"] = [Pod("Unknown")] }));
        old.Status.Replicas = 1;
        Assert.True(DeploymentController.OldPodsRunning(newRs, [old], []));
    }
}
