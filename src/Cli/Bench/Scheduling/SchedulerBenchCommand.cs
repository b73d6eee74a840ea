using System.CommandLine;
using MiniKube.Cli.Bench.E2e;

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
        var shared = new ClusterBenchCommand("How long the pods may take to all be bound, from the scheduler's start.", "5m");
        var command = new Command(
            "scheduler",
            "Start a store and an apiserver, create Ready nodes and pending pods, then start the scheduler and time it until every pod is bound; pods/s, per-second percentiles, CPU per component.")
        {
            members, nodes, pods,
        };
        shared.Complete(
            command,
            (parse, timeout) => new SchedulerBenchSettings
            {
                Members = parse.GetValue(members),
                Nodes = parse.GetValue(nodes),
                Pods = parse.GetValue(pods),
                Dir = shared.Dir(parse),
                Keep = shared.Keep(parse),
                Timeout = timeout,
            },
            settings => settings.Validate(),
            async (settings, log, cancellationToken) => await SchedulerBenchmark.RunAsync(settings, log, cancellationToken).ConfigureAwait(false));
        return command;
    }
}
