using System.CommandLine;

namespace MiniKube.Cli.Bench;

/// <summary><c>mkctl bench …</c>: load generators that print throughput and latency percentiles.</summary>
public static class BenchCommand
{
    public static Command Create() => new("bench", "Measure MiniKube's components (and a real etcd) under load.")
    {
        Subcommands = { StoreBenchCommand.Create(), E2e.E2eBenchCommand.Create(), Scheduling.SchedulerBenchCommand.Create() },
    };
}
