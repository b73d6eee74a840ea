using System.Text.Json.Nodes;
using MiniKube.Testing;

namespace MiniKube.ApiServer.Tests.Kubectl;

/// <summary>The real kubectl 1.32 against the apiserver, as a user runs it. Each test works in a namespace of its own.</summary>
public sealed class KubectlTests(KubectlFixture fixture) : IClassFixture<KubectlFixture>
{
    private static string Deployment(string ns, int replicas, string extraLabel = "") => $"""
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
          namespace: {ns}
          labels:
            app: web{extraLabel}
        spec:
          replicas: {replicas}
          selector:
            matchLabels:
              app: web
          template:
            metadata:
              labels:
                app: web
            spec:
              containers:
              - name: nginx
                image: nginx:1.25
                ports:
                - containerPort: 80
        """;

    private async Task<string> KubectlAsync(params string[] arguments)
    {
        var result = await fixture.RunAsync(arguments);
        Assert.True(result.ExitCode == 0, $"kubectl {string.Join(' ', arguments)}: {result}");
        return result.StandardOutput;
    }

    private async Task<string> NewNamespaceAsync()
    {
        var name = $"k-{Guid.NewGuid():N}"[..16];
        Assert.Equal($"namespace/{name} created", (await KubectlAsync("create", "namespace", name)).Trim());
        return name;
    }

    private async Task<JsonNode> GetJsonAsync(params string[] arguments) => JsonNode.Parse(await KubectlAsync([.. arguments, "-o", "json"]))!;

    [Fact]
    public async Task Apply_creates_then_reapplies_a_changed_file_with_client_side_apply()
    {
        var ns = await NewNamespaceAsync();
        var file = fixture.WriteFile($"{ns}-v1.yaml", Deployment(ns, 2, "\n    tier: front"));
        Assert.Equal("deployment.apps/web created", (await KubectlAsync("apply", "-f", file)).Trim());
        Assert.Equal("deployment.apps/web unchanged", (await KubectlAsync("apply", "-f", file)).Trim());

        // What the apply wrote, as etcdctl shows it: one key, Kubernetes' layout.
        var keys = await ProcessRunner.RunAsync("/usr/bin/etcdctl", ["--endpoints", fixture.Servers.Store.ClientUrl.ToString(), "get", $"/registry/deployments/{ns}/", "--prefix", "--keys-only"],
            environment: new Dictionary<string, string> { ["ETCDCTL_API"] = "3" });
        Assert.Equal($"/registry/deployments/{ns}/web", keys.StandardOutput.Trim());

        // Someone else adds an annotation; the new file drops the tier label and changes replicas.
        await KubectlAsync("annotate", "deployment", "web", "-n", ns, "owner=ops");
        var changed = fixture.WriteFile($"{ns}-v2.yaml", Deployment(ns, 4));
        Assert.Equal("deployment.apps/web configured", (await KubectlAsync("apply", "-f", changed)).Trim());
        var live = await GetJsonAsync("get", "deployment", "web", "-n", ns);
        Assert.Equal(4, live["spec"]!["replicas"]!.GetValue<int>());
        Assert.Null(live["metadata"]!["labels"]!["tier"]);
        Assert.Equal("ops", live["metadata"]!["annotations"]!["owner"]!.GetValue<string>());
        Assert.Equal(2, live["metadata"]!["generation"]!.GetValue<long>());
    }

    [Fact]
    public async Task Server_side_apply_creates_and_updates()
    {
        var ns = await NewNamespaceAsync();
        var file = fixture.WriteFile($"{ns}-ssa.yaml", Deployment(ns, 1));
        Assert.Equal("deployment.apps/web serverside-applied", (await KubectlAsync("apply", "--server-side", "-f", file)).Trim());
        fixture.WriteFile($"{ns}-ssa.yaml", Deployment(ns, 3));
        await KubectlAsync("apply", "--server-side", "-f", file);
        Assert.Equal("3", (await KubectlAsync("get", "deploy", "web", "-n", ns, "-o", "jsonpath={.spec.replicas}")).Trim());
    }

    [Fact]
    public async Task Get_prints_kubernetes_tables_and_every_output_format()
    {
        var ns = await NewNamespaceAsync();
        await KubectlAsync("apply", "-f", fixture.WriteFile($"{ns}.yaml", Deployment(ns, 3)));
        var table = (await KubectlAsync("get", "deployments", "-n", ns)).Split('\n');
        Assert.Matches(@"^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE$", table[0]);
        Assert.Matches(@"^web\s+0/3\s+0\s+0\s+\d+s$", table[1]);
        Assert.Matches(@"^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE\s+CONTAINERS\s+IMAGES\s+SELECTOR$", (await KubectlAsync("get", "deploy", "-n", ns, "-o", "wide")).Split('\n')[0]);
        Assert.Equal("deployment.apps/web", (await KubectlAsync("get", "deploy", "-n", ns, "-o", "name")).Trim());
        Assert.Contains("kind: Deployment", await KubectlAsync("get", "deploy", "web", "-n", ns, "-o", "yaml"), StringComparison.Ordinal);
        Assert.Equal("web", (await GetJsonAsync("get", "deploy", "web", "-n", ns))["metadata"]!["name"]!.GetValue<string>());
        Assert.Contains("web", await KubectlAsync("get", "deploy", "-n", ns, "-l", "app=web"), StringComparison.Ordinal);
        var none = await fixture.RunAsync(["get", "deploy", "-n", ns, "-l", "app=other"]);
        Assert.Contains($"No resources found in {ns} namespace.", none.StandardError, StringComparison.Ordinal);
        var all = await KubectlAsync("get", "deploy", "-A");
        Assert.Matches(@"^NAMESPACE\s+NAME\s+READY", all.Split('\n')[0]);
        Assert.Contains(ns, all, StringComparison.Ordinal);
        var namespaces = await KubectlAsync("get", "ns", ns);
        Assert.Matches($@"^{ns}\s+Active\s+\d+s$", namespaces.Split('\n')[1]);
    }

    [Fact]
    public async Task Pods_list_with_field_selectors_and_status_columns()
    {
        var ns = await NewNamespaceAsync();
        await KubectlAsync("run", "p1", "-n", ns, "--image=busybox");
        await KubectlAsync("run", "p2", "-n", ns, "--image=busybox", "--overrides", """{"spec":{"nodeName":"node-7"}}""");
        var pods = (await KubectlAsync("get", "pods", "-n", ns, "-o", "wide")).Split('\n');
        Assert.Matches(@"^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\s+IP\s+NODE", pods[0]);
        Assert.Matches(@"^p1\s+0/1\s+Pending\s+0\s+", pods[1]);
        var onNode = await KubectlAsync("get", "pods", "-n", ns, "--field-selector", "spec.nodeName=node-7", "-o", "name");
        Assert.Equal("pod/p2", onNode.Trim());
    }

    [Fact]
    public async Task Scale_label_annotate_patch_and_edit_change_the_object()
    {
        var ns = await NewNamespaceAsync();
        await KubectlAsync("apply", "-f", fixture.WriteFile($"{ns}.yaml", Deployment(ns, 1)));
        Assert.Equal("deployment.apps/web scaled", (await KubectlAsync("scale", "deploy/web", "-n", ns, "--replicas=5")).Trim());
        Assert.Equal("deployment.apps/web labeled", (await KubectlAsync("label", "deploy", "web", "-n", ns, "env=prod")).Trim());
        Assert.Equal("deployment.apps/web annotated", (await KubectlAsync("annotate", "deploy", "web", "-n", ns, "note=hello")).Trim());
        Assert.Equal("deployment.apps/web patched", (await KubectlAsync("patch", "deploy", "web", "-n", ns, "-p",
            """{"spec":{"template":{"spec":{"containers":[{"name":"nginx","image":"nginx:1.27"}]}}}}""")).Trim());
        var edit = await fixture.RunAsync(["edit", "deploy", "web", "-n", ns],
            environment: new Dictionary<string, string> { ["KUBE_EDITOR"] = "sed -i s/replicas:\\ 5/replicas:\\ 6/" });
        Assert.True(edit.ExitCode == 0, edit.ToString());
        var live = await GetJsonAsync("get", "deploy", "web", "-n", ns);
        Assert.Equal(6, live["spec"]!["replicas"]!.GetValue<int>());
        Assert.Equal("prod", live["metadata"]!["labels"]!["env"]!.GetValue<string>());
        Assert.Equal("hello", live["metadata"]!["annotations"]!["note"]!.GetValue<string>());
        var containers = live["spec"]!["template"]!["spec"]!["containers"]!.AsArray();
        Assert.Equal("nginx:1.27", Assert.Single(containers)!["image"]!.GetValue<string>());
        Assert.Equal(80, containers[0]!["ports"]![0]!["containerPort"]!.GetValue<int>());
    }

    [Fact]
    public async Task Describe_and_delete_work_and_a_missing_object_reads_like_kubernetes()
    {
        var ns = await NewNamespaceAsync();
        await KubectlAsync("apply", "-f", fixture.WriteFile($"{ns}.yaml", Deployment(ns, 2)));
        var description = await KubectlAsync("describe", "deploy", "web", "-n", ns);
        Assert.Matches(@"Replicas:\s+2 desired", description);
        Assert.Equal("deployment.apps \"web\" deleted", (await KubectlAsync("delete", "deploy", "web", "-n", ns)).Trim());
        var missing = await fixture.RunAsync(["get", "deploy", "web", "-n", ns]);
        Assert.Equal(1, missing.ExitCode);
        Assert.Equal("Error from server (NotFound): deployments.apps \"web\" not found", missing.StandardError.Trim());
    }

    [Fact]
    public async Task Create_commands_that_send_protobuf_work()
    {
        var ns = await NewNamespaceAsync();
        Assert.Equal("configmap/settings created", (await KubectlAsync("create", "configmap", "settings", "-n", ns, "--from-literal=mode=fast")).Trim());
        Assert.Equal("secret/token created", (await KubectlAsync("create", "secret", "generic", "token", "-n", ns, "--from-literal=key=s3cr3t")).Trim());
        Assert.Equal("deployment.apps/api created", (await KubectlAsync("create", "deployment", "api", "-n", ns, "--image=nginx", "--replicas=2")).Trim());
        var cm = await GetJsonAsync("get", "configmap", "settings", "-n", ns);
        Assert.Equal("fast", cm["data"]!["mode"]!.GetValue<string>());
        var secret = await GetJsonAsync("get", "secret", "token", "-n", ns);
        Assert.Equal(Convert.ToBase64String("s3cr3t"u8), secret["data"]!["key"]!.GetValue<string>());
        var deployment = await GetJsonAsync("get", "deployment", "api", "-n", ns);
        Assert.Equal(2, deployment["spec"]!["replicas"]!.GetValue<int>());
        Assert.Equal("nginx", deployment["spec"]!["template"]!["spec"]!["containers"]![0]!["image"]!.GetValue<string>());
    }

    [Fact]
    public async Task Apply_refuses_unknown_fields_through_server_side_field_validation()
    {
        var ns = await NewNamespaceAsync();
        var file = fixture.WriteFile($"{ns}-typo.yaml", Deployment(ns, 1).Replace("  replicas: 1", "  replicas: 1\n  replicaz: 2", StringComparison.Ordinal));
        var result = await fixture.RunAsync(["apply", "-f", file]);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("unknown field \"spec.replicaz\"", result.StandardError, StringComparison.Ordinal);
        var missing = await fixture.RunAsync(["get", "deploy", "web", "-n", ns]);
        Assert.Equal(1, missing.ExitCode);
    }

    [Fact]
    public async Task Get_lists_every_served_type()
    {
        var ns = await NewNamespaceAsync();
        await KubectlAsync("create", "configmap", "c", "-n", ns);
        var output = await KubectlAsync("get", "pods,deployments,replicasets,services,configmaps,secrets,events,leases", "-n", ns);
        Assert.Contains("configmap/c", output, StringComparison.Ordinal);
        await KubectlAsync("get", "nodes");
        await KubectlAsync("get", "namespaces", "-o", "wide");
    }

    [Fact]
    public async Task Delete_with_a_cascade_policy_reaches_the_server_as_the_matching_finalizer()
    {
        // Removing the orphan and foregroundDeletion finalizers is the garbage collector's job
        // (the controller-manager); the apiserver's part is to set them and keep the object.
        var ns = await NewNamespaceAsync();
        await KubectlAsync("apply", "-f", fixture.WriteFile($"{ns}.yaml", Deployment(ns, 1)));
        await KubectlAsync("delete", "deploy", "web", "-n", ns, "--cascade=orphan", "--wait=false");
        var live = await GetJsonAsync("get", "deploy", "web", "-n", ns);
        Assert.Equal(["orphan"], live["metadata"]!["finalizers"]!.AsArray().Select(f => f!.GetValue<string>()));
        Assert.NotNull(live["metadata"]!["deletionTimestamp"]);
    }

    [Fact]
    public async Task Get_watch_prints_each_change()
    {
        var ns = await NewNamespaceAsync();
        await KubectlAsync("apply", "-f", fixture.WriteFile($"{ns}.yaml", Deployment(ns, 1)));
        var watch = fixture.RunAsync(["get", "deploy", "-n", ns, "-w", "--request-timeout=6s"], timeout: TimeSpan.FromSeconds(30));
        await Task.Delay(2000);
        await KubectlAsync("scale", "deploy/web", "-n", ns, "--replicas=3");
        var result = await watch;
        var lines = result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length >= 3, result.ToString());
        Assert.Matches(@"^NAME\s+READY", lines[0]);
        Assert.Matches(@"^web\s+0/1\s", lines[1]);
        Assert.Matches(@"^web\s+0/3\s", lines[^1]);
    }
}
