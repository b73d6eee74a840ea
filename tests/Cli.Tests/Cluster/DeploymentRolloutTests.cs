using System.Text.Json.Nodes;
using MiniKube.Cli.Kube;

namespace MiniKube.Cli.Tests.Cluster;

public sealed class DeploymentRolloutTests
{
    private static JsonObject Deployment(int replicas, long generation, long observed, int total, int updated, int available, string image = "nginx:1.28", string? reason = null) => new()
    {
        ["metadata"] = new JsonObject
        {
            ["name"] = "web",
            ["uid"] = "d-uid",
            ["generation"] = generation,
            ["annotations"] = new JsonObject { [DeploymentRollout.RevisionAnnotation] = "3", ["team"] = "ops" },
        },
        ["spec"] = new JsonObject { ["replicas"] = replicas, ["template"] = Template(image, hash: null) },
        ["status"] = new JsonObject
        {
            ["observedGeneration"] = observed,
            ["replicas"] = total,
            ["updatedReplicas"] = updated,
            ["availableReplicas"] = available,
            ["conditions"] = reason is null ? new JsonArray() : new JsonArray(new JsonObject { ["type"] = "Progressing", ["reason"] = reason }),
        },
    };

    private static JsonObject Template(string image, string? hash)
    {
        var labels = new JsonObject { ["app"] = "web" };
        if (hash is not null)
        {
            labels[DeploymentRollout.PodTemplateHashLabel] = hash;
        }

        return new JsonObject
        {
            ["metadata"] = new JsonObject { ["labels"] = labels },
            ["spec"] = new JsonObject { ["containers"] = new JsonArray(new JsonObject { ["name"] = "web", ["image"] = image }) },
        };
    }

    private static JsonObject ReplicaSet(long revision, string image, string ownerUid = "d-uid", string? cause = null)
    {
        var annotations = new JsonObject { [DeploymentRollout.RevisionAnnotation] = revision.ToString(), ["deployment.kubernetes.io/desired-replicas"] = "3" };
        if (cause is not null)
        {
            annotations[DeploymentRollout.ChangeCauseAnnotation] = cause;
        }

        return new JsonObject
        {
            ["metadata"] = new JsonObject
            {
                ["name"] = $"web-{revision}",
                ["annotations"] = annotations,
                ["ownerReferences"] = new JsonArray(new JsonObject { ["uid"] = ownerUid, ["controller"] = true }),
            },
            ["spec"] = new JsonObject { ["template"] = Template(image, hash: $"h{revision}") },
        };
    }

    [Theory]
    [InlineData(3, 2, 1, 3, 0, 0, "Waiting for deployment spec update to be observed...", false)]
    [InlineData(3, 2, 2, 4, 1, 3, "Waiting for deployment \"web\" rollout to finish: 1 out of 3 new replicas have been updated...", false)]
    [InlineData(3, 2, 2, 4, 3, 3, "Waiting for deployment \"web\" rollout to finish: 1 old replicas are pending termination...", false)]
    [InlineData(3, 2, 2, 3, 3, 1, "Waiting for deployment \"web\" rollout to finish: 1 of 3 updated replicas are available...", false)]
    [InlineData(3, 2, 2, 3, 3, 3, "deployment \"web\" successfully rolled out", true)]
    public void Status_says_what_kubectl_says(int replicas, long generation, long observed, int total, int updated, int available, string message, bool done)
    {
        Assert.Equal((message, done), DeploymentRollout.Status(Deployment(replicas, generation, observed, total, updated, available)));
    }

    [Fact]
    public void Status_fails_when_the_progress_deadline_passed()
    {
        var e = Assert.Throws<KubeCommandException>(() => DeploymentRollout.Status(Deployment(3, 1, 1, 3, 1, 1, reason: "ProgressDeadlineExceeded")));

        Assert.Equal("deployment \"web\" exceeded its progress deadline", e.Message);
    }

    [Fact]
    public void History_holds_only_the_replica_sets_the_deployment_controls()
    {
        var history = DeploymentRollout.ByRevision(Deployment(3, 1, 1, 3, 3, 3), [ReplicaSet(2, "b"), ReplicaSet(1, "a"), ReplicaSet(9, "x", ownerUid: "other")]);

        Assert.Equal([1L, 2L], history.Keys);
    }

    [Fact]
    public void Undo_puts_the_previous_template_back_without_its_hash_and_keeps_the_deployments_own_annotations()
    {
        var deployment = Deployment(3, 1, 1, 3, 3, 3, image: "nginx:1.28");
        var history = DeploymentRollout.ByRevision(deployment, [ReplicaSet(1, "nginx:1.26", cause: "first"), ReplicaSet(2, "nginx:1.27"), ReplicaSet(3, "nginx:1.28")]);

        var (patch, _) = DeploymentRollout.Rollback(deployment, history, toRevision: 0);
        var ops = JsonNode.Parse(patch!)!.AsArray();

        Assert.Equal("/spec/template", (string?)ops[0]!["path"]);
        Assert.True(JsonNode.DeepEquals(Template("nginx:1.27", hash: null), ops[0]!["value"]), ops.ToJsonString());
        var annotations = ops[1]!["value"]!.AsObject();
        Assert.Equal("3", (string?)annotations[DeploymentRollout.RevisionAnnotation]);
        Assert.False(annotations.ContainsKey("team"), "annotations of the Deployment not on the skip list are replaced by the ReplicaSet's");
        Assert.False(annotations.ContainsKey("deployment.kubernetes.io/desired-replicas"));
    }

    [Fact]
    public void Undo_to_a_revision_takes_that_one_and_skips_when_it_is_already_current()
    {
        var deployment = Deployment(3, 1, 1, 3, 3, 3, image: "nginx:1.28");
        var history = DeploymentRollout.ByRevision(deployment, [ReplicaSet(1, "nginx:1.26", cause: "first"), ReplicaSet(2, "nginx:1.27"), ReplicaSet(3, "nginx:1.28")]);

        var (patch, _) = DeploymentRollout.Rollback(deployment, history, toRevision: 1);
        var (skipped, message) = DeploymentRollout.Rollback(deployment, history, toRevision: 3);

        var ops = JsonNode.Parse(patch!)!.AsArray();
        Assert.Equal("nginx:1.26", (string?)ops[0]!["value"]!["spec"]!["containers"]![0]!["image"]);
        Assert.Equal("first", (string?)ops[1]!["value"]![DeploymentRollout.ChangeCauseAnnotation]);
        Assert.Null(skipped);
        Assert.Equal("skipped rollback (current template already matches revision 3)", message);
        Assert.Equal("unable to find specified revision 7 in history", Assert.Throws<KubeCommandException>(() => DeploymentRollout.Rollback(deployment, history, 7)).Message);
    }

    [Fact]
    public void Restart_patch_stamps_the_template_with_the_time_in_rfc3339()
    {
        var patch = JsonNode.Parse(DeploymentRollout.RestartPatch(new DateTimeOffset(2026, 12, 2, 6, 5, 4, TimeSpan.FromHours(2))))!;

        Assert.Equal("2026-12-02T04:05:04Z", (string?)patch["spec"]!["template"]!["metadata"]!["annotations"]![DeploymentRollout.RestartedAtAnnotation]);
    }
}
