using MiniKube.Client.Config;

namespace MiniKube.Client.Tests.Config;

public sealed class KubeconfigTests
{
    private const string Sample = """
        apiVersion: v1
        kind: Config
        current-context: dev
        clusters:
        - name: local
          cluster:
            server: http://127.0.0.1:8080
        - name: remote
          cluster:
            server: https://10.0.0.1:6443
            insecure-skip-tls-verify: true
        contexts:
        - name: dev
          context:
            cluster: local
            user: me
            namespace: team-a
        - name: prod
          context:
            cluster: remote
            user: admin
        users:
        - name: me
          user: {}
        - name: admin
          user:
            token: s3cret
        """;

    [Fact]
    public void Resolve_uses_the_current_context_or_the_one_asked_for()
    {
        var config = Kubeconfig.Parse(Sample);

        var dev = config.Resolve();
        var prod = config.Resolve("prod");

        Assert.Equal((new Uri("http://127.0.0.1:8080"), "team-a", (string?)null, false), (dev.Server, dev.Namespace, dev.BearerToken, dev.InsecureSkipTlsVerify));
        Assert.Equal((new Uri("https://10.0.0.1:6443"), "default", (string?)"s3cret", true), (prod.Server, prod.Namespace, prod.BearerToken, prod.InsecureSkipTlsVerify));
    }

    [Fact]
    public void Resolve_fails_like_kubectl_when_the_context_is_unknown_or_missing()
    {
        var e = Assert.Throws<KubeconfigException>(() => Kubeconfig.Parse(Sample).Resolve("nope"));
        var empty = Assert.Throws<KubeconfigException>(() => Kubeconfig.Parse("").Resolve());

        Assert.Equal("context was not found for specified context: nope", e.Message);
        Assert.StartsWith("invalid configuration: no configuration has been provided", empty.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_merges_KUBECONFIG_files_with_the_first_definition_winning()
    {
        var first = Path.Combine(Path.GetTempPath(), $"kc1-{Guid.NewGuid():N}");
        var second = Path.Combine(Path.GetTempPath(), $"kc2-{Guid.NewGuid():N}");
        File.WriteAllText(first, Kubeconfig.ForServer(new Uri("http://127.0.0.1:1111"), "a").ToJson());
        File.WriteAllText(second, Kubeconfig.ForServer(new Uri("http://127.0.0.1:2222"), "b").ToJson());
        var paths = Kubeconfig.DefaultPaths(null, $"{first}{Path.PathSeparator}{second}{Path.PathSeparator}/does/not/exist", "/home/x");
        try
        {
            var merged = Kubeconfig.Load(first);
            Assert.Equal([first, second, "/does/not/exist"], paths);
            Assert.Equal(["/home/x/.kube/config"], Kubeconfig.DefaultPaths(null, null, "/home/x"));
            Assert.Equal([first], Kubeconfig.DefaultPaths(first, "ignored", "/home/x"));
            Assert.Equal(1111, merged.Resolve().Server.Port);
            Assert.Throws<KubeconfigException>(() => Kubeconfig.Load("/does/not/exist"));
        }
        finally
        {
            File.Delete(first);
            File.Delete(second);
        }
    }
}
