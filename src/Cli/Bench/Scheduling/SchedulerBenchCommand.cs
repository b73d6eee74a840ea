using System.CommandLine;
using MiniKube.Cli.Cluster;
using MiniKube.Etcd.Api;

namespace MiniKube.Cli.Bench.Scheduling;

/// <summary><c>mkctl bench scheduler</c>: the scheduler's own throughput, in the spirit of scheduler_perf's SchedulingThroughput.</summary>
public static class SchedulerBenchCommand
{
    public static Command Create()
    {
        var defaults = new SchedulerBenchSettings();
        var members = new Option<int>("--members") { Description = "Store members.", DefaultValueFactory = _ => defaults.Members };
        var nodes = new Option<int>("--nodes") { Description = "Ready nodes created before the scheduler starts.", DefaultValueFactory = _ => defaults.Nodes };
        var pods = new Option<int>("--pods") { Description = "Pending pods created before the scheduler starts.", DefaultValueFactory = _ => defaults.Pods };
        var dir = new Option<string?>("--dir") { Description = "The cluster's directory (default: a new temporary directory, removed afterwards)." };
        var keep = new Option<bool>("--keep") { Description = "Leave the cluster running afterwards (stop it with mkctl down --dir)." };
        var timeout = new Option<string>("--timeout") { Description = "How long the pods may take to all be bound, from the scheduler's start.", DefaultValueFactory = _ => "5m" };
        var output = new Option<string>("--output", "-o") { Description = "Output format: text or json.", DefaultValueFactory = _ => "text" };
        output.AcceptOnlyFromAmong("text", "json");
        var command = new Command(
            "scheduler",
            "Start a store and an apiserver, create Ready nodes and pending pods, then start the scheduler and time it until every pod is bound; pods/s, per-second percentiles, CPU per component.")
        {
            members, nodes, pods, dir, keep, timeout, output,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var stdout = parse.InvocationConfiguration.Output;
            var stderr = parse.InvocationConfiguration.Error;
            SchedulerBenchSettings settings;
            try
            {
                settings = new SchedulerBenchSettings
                {
                    Members = parse.GetValue(members),
                    Nodes = parse.GetValue(nodes),
                    Pods = parse.GetValue(pods),
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
                var report = await SchedulerBenchmark.RunAsync(settings, stderr, cancellationToken).ConfigureAwait(false);
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
