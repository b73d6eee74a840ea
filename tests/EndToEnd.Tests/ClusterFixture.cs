using System.Text.Json.Nodes;
using MiniKube.Api.Resources;
using MiniKube.Cli.Cluster;
using MiniKube.Client;
using MiniKube.Testing;

namespace MiniKube.EndToEnd.Tests;

/// <summary>
/// One local cluster for the tests of a collection, started the way a user starts it: <c>mkctl up --dir &lt;temp&gt;</c>
/// and the subclass's arguments as a real process, its components detached processes on free loopback ports; torn
/// down with <c>mkctl down</c> and the directory deleted.
/// </summary>
public abstract class ClusterFixture : IAsyncLifetime
{
    public const int Nodes = 3;

    /// <summary>What follows <c>mkctl up</c> (besides --dir) for this fixture's cluster.</summary>
    protected abstract IReadOnlyList<string> UpArguments { get; }

    public string Dir { get; } = Directory.CreateTempSubdirectory("mk-e2e-").FullName;

    public string Kubeconfig => Path.Combine(Dir, "kubeconfig");

    /// <summary>What the first up printed, for the failure messages of the tests that need it.</summary>
    public ProcessResult? Up { get; private set; }

    public ClusterState State => new ClusterDirectory(Dir).RequireState();

    public async Task InitializeAsync()
    {
        if (EndToEndFactAttribute.SkipReason is not null)
        {
            return; // every test is skipped: no cluster to start
        }

        Up = await MkctlAsync(TimeSpan.FromMinutes(4), ["up", .. UpArguments, "--wait", "3m"]);
    }

    /// <summary>Runs <c>mkctl ARGS --dir DIR</c> as a process.</summary>
    public Task<ProcessResult> MkctlAsync(params string[] args) => MkctlAsync(TimeSpan.FromMinutes(2), args);

    public Task<ProcessResult> MkctlAsync(TimeSpan timeout, params string[] args) =>
        ProcessRunner.RunAsync("dotnet", [Path.Combine(AppContext.BaseDirectory, "mkctl.dll"), .. args, "--dir", Dir], timeout: timeout,
            environment: new Dictionary<string, string> { ["KUBECONFIG"] = "" });

    /// <summary>The real kubectl with this cluster's kubeconfig.</summary>
    public Task<ProcessResult> KubectlAsync(params string[] args) =>
        ProcessRunner.RunAsync("kubectl", ["--kubeconfig", Kubeconfig, .. args], timeout: TimeSpan.FromMinutes(2));

    public KubeClient NewClient(string @namespace = "default") =>
        new(MiniKube.Client.Config.Kubeconfig.Load(Kubeconfig).Resolve() with { Namespace = @namespace, RequestTimeout = TimeSpan.FromSeconds(15) });

    public async Task<string> NewNamespaceAsync(string prefix)
    {
        var name = $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 7)];
        using var client = NewClient();
        await client.CreateAsync(ApiResources.Namespaces, null, new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Namespace",
            ["metadata"] = new JsonObject { ["name"] = name },
        });
        return name;
    }

    public async Task DisposeAsync()
    {
        try
        {
            if (Up is not null)
            {
                await MkctlAsync("down", "--grace-period", "5s");
            }
        }
        finally
        {
            Directory.Delete(Dir, recursive: true);
        }
    }
}
