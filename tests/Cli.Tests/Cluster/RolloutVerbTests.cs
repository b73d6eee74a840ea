using System.Text.Json.Nodes;
using MiniKube.Api.Resources;
using MiniKube.Cli.Kube;
using MiniKube.Testing.Cluster;

namespace MiniKube.Cli.Tests.Cluster;

/// <summary>rollout, describe's events and logs against a real apiserver; no controllers run, so the tests write the
/// ReplicaSets and the status a deployment controller would.</summary>
public sealed class RolloutVerbTests(ClusterFixture cluster) : IClassFixture<ClusterFixture>
{
    private static JsonObject Template(string image) => new()
    {
        ["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["app"] = "web" } },
        ["spec"] = new JsonObject { ["containers"] = new JsonArray(new JsonObject { ["name"] = "web", ["image"] = image }) },
    };

    private async Task<(string Kubeconfig, string Ns, JsonObject Deployment)> DeploymentAsync(string prefix, string image, params string[] history)
    {
        var ns = await cluster.NewNamespaceAsync(prefix);
        using var client = cluster.NewClient(ns);
        var deployment = await client.CreateAsync(ApiResources.Deployments, ns, new JsonObject
        {
            ["apiVersion"] = "apps/v1",
            ["kind"] = "Deployment",
            ["metadata"] = new JsonObject { ["name"] = "web", ["annotations"] = new JsonObject { [DeploymentRollout.RevisionAnnotation] = history.Length.ToString() } },
            ["spec"] = new JsonObject
            {
                ["replicas"] = 3,
                ["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["app"] = "web" } },
                ["template"] = Template(image),
            },
        });
        for (var i = 0; i < history.Length; i++)
        {
            var template = Template(history[i]);
            template["metadata"]!["labels"]![DeploymentRollout.PodTemplateHashLabel] = $"h{i + 1}";
            await client.CreateAsync(ApiResources.ReplicaSets, ns, new JsonObject
            {
                ["apiVersion"] = "apps/v1",
                ["kind"] = "ReplicaSet",
                ["metadata"] = new JsonObject
                {
                    ["name"] = $"web-h{i + 1}",
                    ["annotations"] = new JsonObject { [DeploymentRollout.RevisionAnnotation] = (i + 1).ToString() },
                    ["ownerReferences"] = new JsonArray(new JsonObject
                    {
                        ["apiVersion"] = "apps/v1",
                        ["kind"] = "Deployment",
                        ["name"] = "web",
                        ["uid"] = deployment["metadata"]!["uid"]!.DeepClone(),
                        ["controller"] = true,
                    }),
                },
                ["spec"] = new JsonObject
                {
                    ["replicas"] = 0,
                    ["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["app"] = "web", [DeploymentRollout.PodTemplateHashLabel] = $"h{i + 1}" } },
                    ["template"] = template,
                },
            });
        }

        return (cluster.WriteKubeconfig(ns), ns, deployment);
    }

    [Fact]
    public async Task History_lists_revisions_and_undo_restores_the_previous_template()
    {
        var (config, ns, _) = await DeploymentAsync("undo", "nginx:1.27", "nginx:1.26", "nginx:1.27");
        using var client = cluster.NewClient(ns);

        var history = await KubeVerbRunner.RunAsync(config, "rollout", "history", "deployment/web");
        var undo = await KubeVerbRunner.RunAsync(config, "rollout", "undo", "deployment/web");
        var after = await client.GetAsync(ApiResources.Deployments, ns, "web");
        var again = await KubeVerbRunner.RunAsync(config, "rollout", "undo", "deployment/web", "--to-revision", "1");

        Assert.Equal((0, "deployment.apps/web \nREVISION   CHANGE-CAUSE\n1          <none>\n2          <none>\n\n"), (history.ExitCode, history.Output));
        Assert.True(undo.ExitCode == 0, undo.ToString());
        Assert.Equal("deployment.apps/web rolled back\n", undo.Output);
        Assert.Equal("nginx:1.26", (string?)after["spec"]!["template"]!["spec"]!["containers"]![0]!["image"]);
        Assert.False(after["spec"]!["template"]!["metadata"]!["labels"]!.AsObject().ContainsKey(DeploymentRollout.PodTemplateHashLabel));
        Assert.Equal("deployment.apps/web skipped rollback (current template already matches revision 1)\n", again.Output);
    }

    [Fact]
    public async Task Restart_stamps_the_template_and_status_reports_a_finished_rollout()
    {
        var (config, ns, deployment) = await DeploymentAsync("restart", "nginx:1.27");
        using var client = cluster.NewClient(ns);

        var restart = await KubeVerbRunner.RunAsync(config, "rollout", "restart", "deployment/web");
        var restarted = await client.GetAsync(ApiResources.Deployments, ns, "web");
        var waiting = await KubeVerbRunner.RunAsync(config, "rollout", "status", "deployment/web", "--watch=false");
        restarted["status"] = new JsonObject
        {
            ["observedGeneration"] = restarted["metadata"]!["generation"]!.DeepClone(),
            ["replicas"] = 3,
            ["updatedReplicas"] = 3,
            ["readyReplicas"] = 3,
            ["availableReplicas"] = 3,
        };
        await client.UpdateAsync(ApiResources.Deployments, ns, restarted, "status");
        var done = await KubeVerbRunner.RunAsync(config, "rollout", "status", "deployment/web", "--timeout", "10s");

        Assert.Equal((0, "deployment.apps/web restarted\n"), (restart.ExitCode, restart.Output));
        Assert.NotNull(restarted["spec"]!["template"]!["metadata"]!["annotations"]?[DeploymentRollout.RestartedAtAnnotation]);
        Assert.True((long)restarted["metadata"]!["generation"]! > (long)deployment["metadata"]!["generation"]!);
        Assert.Equal((0, "Waiting for deployment spec update to be observed...\n"), (waiting.ExitCode, waiting.Output));
        Assert.Equal((0, "deployment \"web\" successfully rolled out\n"), (done.ExitCode, done.Output));
    }

    [Fact]
    public async Task Status_times_out_while_the_rollout_does_not_progress()
    {
        var (config, _, _) = await DeploymentAsync("stuck", "nginx:1.27");

        var result = await KubeVerbRunner.RunAsync(config, "rollout", "status", "deployment/web", "--timeout", "1s");

        Assert.Equal((1, "error: timed out waiting for the condition\n"), (result.ExitCode, result.Error));
        Assert.Equal("Waiting for deployment spec update to be observed...\n", result.Output);
    }

    [Fact]
    public async Task Describe_ends_with_the_objects_events_only()
    {
        var (config, ns, deployment) = await DeploymentAsync("events", "nginx:1.27");
        using var client = cluster.NewClient(ns);
        foreach (var (name, involved, reason) in new[] { ("e1", "web", "ScalingReplicaSet"), ("e2", "other", "Unrelated") })
        {
            await client.CreateAsync(ApiResources.Events, ns, new JsonObject
            {
                ["apiVersion"] = "v1",
                ["kind"] = "Event",
                ["metadata"] = new JsonObject { ["name"] = name },
                ["involvedObject"] = new JsonObject
                {
                    ["apiVersion"] = "apps/v1",
                    ["kind"] = "Deployment",
                    ["name"] = involved,
                    ["namespace"] = ns,
                    ["uid"] = involved == "web" ? deployment["metadata"]!["uid"]!.DeepClone() : "another-uid",
                },
                ["reason"] = reason,
                ["message"] = $"Scaled up replica set {involved}-h1 to 3",
                ["type"] = "Normal",
                ["count"] = 1,
                ["source"] = new JsonObject { ["component"] = "deployment-controller" },
                ["firstTimestamp"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ"),
                ["lastTimestamp"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ"),
            });
        }

        var result = await KubeVerbRunner.RunAsync(config, "describe", "deployment", "web");

        Assert.True(result.ExitCode == 0, result.ToString());
        var events = result.Output[result.Output.IndexOf("Events:", StringComparison.Ordinal)..];
        Assert.Contains("ScalingReplicaSet", events);
        Assert.Contains("deployment-controller", events);
        Assert.DoesNotContain("Unrelated", events);
    }

    [Fact]
    public async Task Logs_of_a_missing_pod_is_a_not_found_error()
    {
        var (config, _, _) = await DeploymentAsync("logs", "nginx:1.27");

        var result = await KubeVerbRunner.RunAsync(config, "logs", "nope", "--tail", "5");

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("Error from server (NotFound)", result.Error);
    }
}
