using System.CommandLine;
using MiniKube.Cli.Cluster;
using MiniKube.Etcd.Api;

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
        var dir = new Option<string?>("--dir") { Description = "The cluster's directory (default: a new temporary directory, removed afterwards)." };
        var keep = new Option<bool>("--keep") { Description = "Leave the cluster running afterwards (stop it with mkctl down --dir)." };
        var timeout = new Option<string>("--timeout") { Description = "How long the pods may take to all run.", DefaultValueFactory = _ => "10m" };
        var output = new Option<string>("--output", "-o") { Description = "Output format: text or json.", DefaultValueFactory = _ => "text" };
        output.AcceptOnlyFromAmong("text", "json");
        var command = new Command("e2e", "Start a local cluster, create a Deployment and time it until every pod is Running; scheduler throughput, CPU and memory per component.")
        {
            members, nodes, replicas, dir, keep, timeout, output,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var stdout = parse.InvocationConfiguration.Output;
            var stderr = parse.InvocationConfiguration.Error;
            E2eBenchSettings settings;
            try
            {
                settings = new E2eBenchSettings
                {
                    Members = parse.GetValue(members),
                    Nodes = parse.GetValue(nodes),
                    Replicas = parse.GetValue(replicas),
                    Dir = parse.GetValue(dir),
                    Keep = parse.GetValue(keep),
                    Timeout = GoDuration.Parse(parse.GetValue(timeout)!),
                };
            }
            catch (FormatException e)
            {
                await stderr.WriteLineAsync($"Error: --timeout: {e.Message}").ConfigureAwait(false);
                return 1;
            }

            if (settings.Validate() is { } problem)
            {
                await stderr.WriteLineAsync($"Error: {problem}").ConfigureAwait(false);
                return 1;
            }

            try
            {
                var report = await E2eBenchmark.RunAsync(settings, stderr, cancellationToken).ConfigureAwait(false);
                await stdout.WriteAsync(parse.GetValue(output) == "json" ? report.Json() + "\n" : report.Text()).ConfigureAwait(false);
                return report.Completed ? 0 : 1;
            }
            catch (ClusterException e)
            {
                await stderr.WriteLineAsync($"error: {e.Message}").ConfigureAwait(false);
                return 1;
            }
        });
        return command;
    }
}
