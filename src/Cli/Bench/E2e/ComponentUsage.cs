namespace MiniKube.Cli.Bench.E2e;

/// <summary>One cluster process over the measurement: CPU seconds spent between the Deployment's create and the last
/// pod Running, and its peak (since it started) and final resident memory.</summary>
public sealed record ComponentUsage(string Name, int? Pid, double? CpuSeconds, long? PeakRssBytes, long? RssBytes)
{
    public static ComponentUsage Between(string name, int? pid, ProcessUsage before, ProcessUsage after) =>
        new(name, pid, after.Cpu - before.Cpu is { } spent ? spent.TotalSeconds : null, after.PeakRssBytes, after.RssBytes);
}
