using MiniKube.ApiServer.Tests.Rest;
using MiniKube.Testing;

namespace MiniKube.ApiServer.Tests.Kubectl;

/// <summary>A store and an apiserver with a kubeconfig for the real kubectl (/usr/bin/kubectl) pointing at it.</summary>
public sealed class KubectlFixture : IAsyncLifetime
{
    public const string Binary = "/usr/bin/kubectl";

    private readonly MiniKubeApiServerFixture _servers = new();
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"mk-kubectl-{Guid.NewGuid():N}");

    public ApiServerFixture Servers => _servers;

    public string Kubeconfig => Path.Combine(_directory, "kubeconfig");

    public async Task InitializeAsync()
    {
        await _servers.InitializeAsync();
        Directory.CreateDirectory(_directory);
        await File.WriteAllTextAsync(Kubeconfig, $"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: minikube
              cluster:
                server: {_servers.Host.Url.ToString().TrimEnd('/')}
            contexts:
            - name: minikube
              context:
                cluster: minikube
                user: minikube
            current-context: minikube
            users:
            - name: minikube
              user: {"{}"}
            """);
    }

    /// <summary>Runs kubectl with this cluster's kubeconfig and a discovery cache of its own.</summary>
    public Task<ProcessResult> RunAsync(string[] arguments, string? input = null, IReadOnlyDictionary<string, string>? environment = null, TimeSpan? timeout = null)
    {
        var env = new Dictionary<string, string>(environment ?? new Dictionary<string, string>()) { ["KUBECONFIG"] = Kubeconfig, ["HOME"] = _directory };
        return ProcessRunner.RunAsync(Binary, [.. arguments, "--cache-dir", Path.Combine(_directory, "cache")], input, timeout ?? TimeSpan.FromSeconds(60), env);
    }

    public string WriteFile(string name, string content)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllText(path, content);
        return path;
    }

    public async Task DisposeAsync()
    {
        await _servers.DisposeAsync();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
