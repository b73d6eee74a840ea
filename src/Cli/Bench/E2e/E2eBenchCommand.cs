using System.CommandLine;

namespace MiniKube.Cli.Bench.E2e;

/// <summary><c>mkctl bench e2e</c>: seconds from a Deployment's create until all its pods run on a fresh local cluster.</summary>
public static class E2eBenchCommand
{
    public static Command Create()
    {
        var defaults = new E2eBenchSettings();
        var members = new Option<int>("--members") { Description = "Store members.", DefaultValueFactory = _ => defaults.Members };
        var nodes = new Option<int>("--nodes") { Description = "Simulated nodes the node agent runs.", DefaultValueFactory = _ => defaults.Nodes };
        var replicas = new Option<int>("--replicas") { Description = "Replicas of the Deployment.", DefaultValueFactory = _ => defaults.Replicas };
        var shared = new ClusterBenchCommand("How long the pods may take to all run.", "10m");
        var command = new Command("e2e", "Start a local cluster, create a Deployment and time it until every pod is Running; scheduler throughput, CPU and memory per component.")
        {
            members, nodes, replicas,
        };
        shared.Complete(
            command,
            (parse, timeout) => new E2eBenchSettings
            {
                Members = parse.GetValue(members),
                Nodes = parse.GetValue(nodes),
                Replicas = parse.GetValue(replicas),
                Dir = shared.Dir(parse),
                Keep = shared.Keep(parse),
                Timeout = timeout,
            },
            settings => settings.Validate(),
            async (settings, log, cancellationToken) => await E2eBenchmark.RunAsync(settings, log, cancellationToken).ConfigureAwait(false));
        return command;
    }
}
