using System.CommandLine;
using MiniKube.Cli.Cluster;
using MiniKube.Cli.Tests.Etcd;
using MiniKube.Etcd.Client;

namespace MiniKube.Cli.Tests.Cluster;

/// <summary>mkctl up/status/down with real detached processes in a temporary directory.</summary>
public sealed class LocalClusterTests
{
    private static async Task<CommandResult> RunAsync(params string[] args)
    {
        var root = new RootCommand();
        foreach (var command in ClusterCommands.Create())
        {
            root.Subcommands.Add(command);
        }

        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = await root.Parse(args).InvokeAsync(new InvocationConfiguration { Output = stdout, Error = stderr });
        return new CommandResult(exit, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public async Task Up_then_down_then_up_keeps_ports_and_store_data_and_names_any_component_that_failed()
    {
        var dir = Directory.CreateTempSubdirectory("mk-up-").FullName;
        try
        {
            var first = await RunAsync("up", "--dir", dir, "--members", "1", "--nodes", "0", "--wait", "90s");
            var state = new ClusterDirectory(dir).RequireState();
            var member = state.StoreMembers.Single();

            // Until the control loops land their stubs exit at once: up must say which one and where its log is.
            if (first.ExitCode != 0)
            {
                var failed = state.Components.First(c => first.Error.Contains($"error: {c.Name} exited", StringComparison.Ordinal));
                Assert.True(failed.Kind is not (ClusterState.StoreKind or ClusterState.ApiServerKind), first.ToString());
                Assert.Contains($"its log is {Path.Combine(dir, "logs", failed.Name + ".log")}", first.Error);
                Assert.True(File.Exists(Path.Combine(dir, "logs", failed.Name + ".log")));
            }

            Assert.True(ComponentProcess.IsRunning(member.Pid, ClusterState.StoreKind), first.ToString());
            Assert.True(ComponentProcess.IsRunning(state.ApiServer.Pid, ClusterState.ApiServerKind), first.ToString());
            Assert.True(File.Exists(Path.Combine(dir, "kubeconfig")));
            Assert.Contains($"\"server\": \"http://127.0.0.1:{state.ApiServer.Port}\"", await File.ReadAllTextAsync(Path.Combine(dir, "kubeconfig")));

            var status = await RunAsync("status", "--dir", dir);
            Assert.True(status.Output.Contains("store leader: store-1", StringComparison.Ordinal), status.ToString());
            Assert.True(status.Output.Contains("healthy", StringComparison.Ordinal), status.ToString());

            await using (var etcd = new EtcdClient(new EtcdClientOptions { Endpoints = [member.ClientUrl!] }))
            {
                await etcd.PutAsync("/mk-test/kept", "across down and up");
            }

            var down = await RunAsync("down", "--dir", dir);
            var stopped = new ClusterDirectory(dir).RequireState();
            Assert.True(down.ExitCode == 0, down.ToString());
            Assert.All(state.Components, c => Assert.False(ComponentProcess.IsRunning(c.Pid, c.Kind), $"{c.Name} still runs after down"));
            Assert.All(stopped.Components, c => Assert.Null(c.Pid));

            var second = await RunAsync("up", "--dir", dir, "--nodes", "0", "--wait", "90s");
            var restarted = new ClusterDirectory(dir).RequireState();
            Assert.Equal(state.Components.Select(c => (c.Name, c.Port, c.PeerPort)), restarted.Components.Select(c => (c.Name, c.Port, c.PeerPort)));
            Assert.True(ComponentProcess.IsRunning(restarted.StoreMembers.Single().Pid, ClusterState.StoreKind), second.ToString());
            await using (var etcd = new EtcdClient(new EtcdClientOptions { Endpoints = [member.ClientUrl!] }))
            {
                var kept = await etcd.GetAsync("/mk-test/kept");
                Assert.Equal("across down and up", kept.Kvs.Single().Value.ToStringUtf8());
            }
        }
        finally
        {
            await RunAsync("down", "--dir", dir, "--grace-period", "5s");
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task Status_without_a_cluster_says_how_to_start_one()
    {
        var dir = Path.Combine(Path.GetTempPath(), $"mk-none-{Guid.NewGuid():N}");

        var result = await RunAsync("status", "--dir", dir);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal($"error: no cluster in {dir} (start one with: ./mkctl up --dir {dir})\n", result.Error);
    }
}
