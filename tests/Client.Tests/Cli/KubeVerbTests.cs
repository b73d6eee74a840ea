using System.Diagnostics;
using MiniKube.Api.Apps;
using MiniKube.Api.Core;
using MiniKube.Client.Tests.Integration;

using MiniKube.Testing.Cluster;

namespace MiniKube.Client.Tests.Cli;

public sealed class KubeVerbTests(ClusterFixture cluster) : IClassFixture<ClusterFixture>
{
    private static string Deployment(string ns, int replicas, string image, string? extraLabel = null) => $"""
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
          namespace: {ns}
          labels:
            app: web
        {(extraLabel is null ? "" : $"    {extraLabel}: \"yes\"\n")}spec:
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
              - name: web
                image: {image}
        """;

    private async Task<(string Kubeconfig, string Ns)> SetUpAsync(string prefix)
    {
        var ns = await cluster.NewNamespaceAsync(prefix);
        return (cluster.WriteKubeconfig(ns), ns);
    }

    [Fact]
    public async Task Apply_creates_then_is_unchanged_then_configures_and_removes_what_left_the_manifest()
    {
        var (config, ns) = await SetUpAsync("apply");
        var file = Path.Combine(Path.GetTempPath(), $"web-{Guid.NewGuid():N}.yaml");
        using var client = cluster.NewClient();

        await File.WriteAllTextAsync(file, Deployment(ns, 2, "nginx:1.27", extraLabel: "extra") + "\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  a: \"1\"\n");
        var created = await Mkctl.RunAsync(config, ["apply", "-f", file]);
        Assert.True(created.ExitCode == 0, created.ToString());
        var again = await Mkctl.RunAsync(config, ["apply", "-f", file]);

        // Someone else scales it and labels it; the manifest then changes the image and drops the extra label.
        await client.ScaleAsync<Deployment>(ns, "web", 5);
        await client.PatchAsync<Deployment>(ns, "web", PatchType.Merge, """{"metadata":{"labels":{"owner":"ops"}}}""");
        await File.WriteAllTextAsync(file, Deployment(ns, 2, "nginx:1.28"));
        var configured = await Mkctl.RunAsync(config, ["apply", "-f", file]);

        Assert.Equal((0, "deployment.apps/web created\nconfigmap/settings created\n"), (created.ExitCode, created.Output));
        Assert.Equal((0, "deployment.apps/web unchanged\nconfigmap/settings unchanged\n"), (again.ExitCode, again.Output));
        Assert.Equal((0, "deployment.apps/web configured\n"), (configured.ExitCode, configured.Output));
        var live = await client.GetAsync<Deployment>(ns, "web");
        Assert.Equal("nginx:1.28", Assert.Single(live.Spec!.Template!.Spec!.Containers!).Image);
        Assert.False(live.Metadata!.Labels!.ContainsKey("extra"));
        // A field the manifest sets wins over the live value; one it never set is left to whoever set it.
        Assert.Equal(2, live.Spec.Replicas);
        Assert.Equal("ops", live.Metadata.Labels["owner"]);
        Assert.Contains("nginx:1.28", live.Metadata.Annotations!["kubectl.kubernetes.io/last-applied-configuration"], StringComparison.Ordinal);
        Assert.Equal("1", (await client.GetAsync<ConfigMap>(ns, "settings")).Data!["a"]);
    }

    [Fact]
    public async Task Get_prints_the_apiservers_table_names_yaml_and_kubectl_style_errors()
    {
        var (config, ns) = await SetUpAsync("get");
        await Mkctl.RunAsync(config, ["apply", "-f", "-"], Deployment(ns, 1, "nginx:1.27"));

        var table = await Mkctl.RunAsync(config, ["get", "deploy"]);
        var names = await Mkctl.RunAsync(config, ["get", "deployments.apps", "-o", "name"]);
        var slash = await Mkctl.RunAsync(config, ["get", "Deployment/web", "-o", "yaml"]);
        var all = await Mkctl.RunAsync(config, ["get", "deployment", "-A", "-l", "app=web"]);
        var missing = await Mkctl.RunAsync(config, ["get", "deployment", "nope"]);
        var none = await Mkctl.RunAsync(config, ["get", "pods"]);
        var unknown = await Mkctl.RunAsync(config, ["get", "widgets"]);

        var lines = table.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.StartsWith("NAME ", lines[0], StringComparison.Ordinal);
        Assert.StartsWith("web ", lines[1], StringComparison.Ordinal);
        Assert.Equal("deployment.apps/web\n", names.Output);
        Assert.Contains("kind: Deployment", slash.Output, StringComparison.Ordinal);
        Assert.Contains("image: nginx:1.27", slash.Output, StringComparison.Ordinal);
        Assert.Contains(all.Output.Split('\n'), l => l.StartsWith(ns + " ", StringComparison.Ordinal) && l.Contains(" web ", StringComparison.Ordinal));
        Assert.StartsWith("NAMESPACE ", all.Output, StringComparison.Ordinal);
        Assert.Equal((1, "Error from server (NotFound): deployments.apps \"nope\" not found\n"), (missing.ExitCode, missing.Error));
        Assert.Equal((0, "", $"No resources found in {ns} namespace.\n"), (none.ExitCode, none.Output, none.Error));
        Assert.Equal((1, "error: the server doesn't have a resource type \"widgets\"\n"), (unknown.ExitCode, unknown.Error));
    }

    [Fact]
    public async Task Scale_delete_create_namespace_and_describe_act_through_the_api()
    {
        var (config, ns) = await SetUpAsync("verbs");
        using var client = cluster.NewClient();
        await Mkctl.RunAsync(config, ["apply", "-f", "-"], Deployment(ns, 1, "nginx:1.27"));
        await client.CreateAsync(KubeClientTests.ConfigMap(ns, "one", "1", new() { ["group"] = "g" }));
        await client.CreateAsync(KubeClientTests.ConfigMap(ns, "two", "2", new() { ["group"] = "g" }));
        var newNs = $"made-{Guid.NewGuid():N}"[..20];

        var scaled = await Mkctl.RunAsync(config, ["scale", "--replicas=3", "deployment/web"]);
        var described = await Mkctl.RunAsync(config, ["describe", "deployment", "web"]);
        var byLabel = await Mkctl.RunAsync(config, ["delete", "cm", "-l", "group=g"]);
        var byName = await Mkctl.RunAsync(config, ["delete", "deployment", "web", "--cascade=background", "--grace-period=0"]);
        await client.CreateAsync(KubeClientTests.Deployment(ns, "orphaned", 1));
        var orphan = await Mkctl.RunAsync(config, ["delete", "deploy/orphaned", "--cascade=orphan"]);
        var madeNs = await Mkctl.RunAsync(config, ["create", "namespace", newNs]);
        var missing = await Mkctl.RunAsync(config, ["delete", "deployment", "web"]);

        Assert.Equal((0, "deployment.apps/web scaled\n"), (scaled.ExitCode, scaled.Output));
        Assert.Contains($"Name:               web\nNamespace:          {ns}\nLabels:             app=web\n", described.Output, StringComparison.Ordinal);
        Assert.Contains("  replicas: 3", described.Output, StringComparison.Ordinal);
        Assert.Equal("configmap \"one\" deleted\nconfigmap \"two\" deleted\n", byLabel.Output);
        Assert.Equal("deployment.apps \"web\" deleted\n", byName.Output);
        Assert.Equal($"namespace/{newNs} created\n", madeNs.Output);
        // Without a garbage collector yet, the orphan finalizer the apiserver adds keeps the object: proof the policy arrived.
        Assert.Equal("deployment.apps \"orphaned\" deleted\n", orphan.Output);
        Assert.Contains("orphan", (await client.GetAsync<Deployment>(ns, "orphaned")).Metadata!.Finalizers ?? []);
        Assert.Equal((1, "Error from server (NotFound): deployments.apps \"web\" not found\n"), (missing.ExitCode, missing.Error));
        Assert.Empty((await client.ListAsync<ConfigMap>(ns, new ListOptions { LabelSelector = "group=g" })).Items);
        Assert.Equal(newNs, (await client.GetAsync<Namespace>(null, newNs)).Metadata!.Name);
    }

    [Fact]
    public async Task What_mkctl_applies_the_real_kubectl_gets_and_kubectl_apply_then_mkctl_apply_is_unchanged()
    {
        var (config, ns) = await SetUpAsync("kubectl");
        await Mkctl.RunAsync(config, ["apply", "-f", "-"], Deployment(ns, 1, "nginx:1.27"));

        var names = await KubectlAsync(config, "get", "deployments", "-o", "name");
        var image = await KubectlAsync(config, "get", "deployment", "web", "-o", "jsonpath={.spec.template.spec.containers[0].image}");

        Assert.Equal((0, "deployment.apps/web"), (names.ExitCode, names.Output.Trim()));
        Assert.Equal("nginx:1.27", image.Output);

        var file = Path.Combine(Path.GetTempPath(), $"cm-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(file, "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: shared\ndata:\n  k: v\n");
        var kubectlApply = await KubectlAsync(config, "apply", "-f", file);
        var mkctlApply = await Mkctl.RunAsync(config, ["apply", "-f", file]);
        Assert.Equal((0, "configmap/shared created"), (kubectlApply.ExitCode, kubectlApply.Output.Trim()));
        Assert.Equal("configmap/shared unchanged\n", mkctlApply.Output);
    }

    private static async Task<(int ExitCode, string Output)> KubectlAsync(string kubeconfig, params string[] args)
    {
        var start = new ProcessStartInfo("/usr/bin/kubectl") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args.Append("--kubeconfig").Append(kubeconfig))
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        return (process.ExitCode, await output + await error);
    }
}

