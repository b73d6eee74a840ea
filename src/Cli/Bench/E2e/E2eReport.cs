using System.Globalization;
using System.Text.Json;

namespace MiniKube.Cli.Bench.E2e;

/// <summary>What one <c>mkctl bench e2e</c> run measured; times are seconds from the Deployment's create.</summary>
/// <remarks><see cref="ClusterBenchReport.ClusterUpSeconds"/> runs to every node Ready.</remarks>
public sealed record E2eReport : ClusterBenchReport
{
    public required E2eBenchSettings Settings { get; init; }

    public required int Created { get; init; }

    public required int Scheduled { get; init; }

    public required int Running { get; init; }

    public double? AllCreatedSeconds { get; init; }

    public double? AllScheduledSeconds { get; init; }

    public double? AllRunningSeconds { get; init; }

    /// <summary>Pods bound per second from the first binding seen to the last.</summary>
    public double? SchedulerPodsPerSecond { get; init; }

    public int PeakBindingsPerSecond { get; init; }

    public required IReadOnlyList<ComponentUsage> Components { get; init; }

    public override bool Completed => AllRunningSeconds is not null;

    public override string Text()
    {
        var s = Settings;
        var text = TextHeader();
        text.AppendLine(Invariant($"cluster: {s.Members} store member(s), {s.Nodes} simulated node(s), up in {ClusterUpSeconds:F1} s; Deployment of {s.Replicas} replicas (requests cpu {s.CpuRequest}, memory {s.MemoryRequest})"));
        text.AppendLine();
        text.AppendLine(Invariant($"{"PHASE",-28} {"PODS",12} {"SECONDS",9}"));
        text.AppendLine(Invariant($"{"all created",-28} {$"{Created}/{s.Replicas}",12} {Seconds(AllCreatedSeconds),9}"));
        text.AppendLine(Invariant($"{"all scheduled",-28} {$"{Scheduled}/{s.Replicas}",12} {Seconds(AllScheduledSeconds),9}"));
        text.AppendLine(Invariant($"{"all Running",-28} {$"{Running}/{s.Replicas}",12} {Seconds(AllRunningSeconds),9}"));
        text.AppendLine();
        text.AppendLine(Invariant($"scheduler throughput: {(SchedulerPodsPerSecond is { } rate ? rate.ToString("F0", CultureInfo.InvariantCulture) : "-")} pods/s (first to last binding), peak {PeakBindingsPerSecond} pods in 1 s"));
        text.AppendLine();
        text.AppendLine(Invariant($"{"COMPONENT",-20} {"PID",8} {"CPU SECONDS",12} {"CPU %",7} {"PEAK RSS MiB",13} {"RSS MiB",8}"));
        foreach (var c in Components)
        {
            var percent = c.CpuSeconds is { } cpu && ElapsedSeconds > 0 ? (100 * cpu / ElapsedSeconds).ToString("F0", CultureInfo.InvariantCulture) : "-";
            text.AppendLine(Invariant($"{c.Name,-20} {c.Pid?.ToString(CultureInfo.InvariantCulture) ?? "-",8} {Fixed(c.CpuSeconds, "F2"),12} {percent,7} {MiB(c.PeakRssBytes),13} {MiB(c.RssBytes),8}"));
        }

        text.AppendLine(Invariant($"(CPU over the {ElapsedSeconds:F1} s from the create to the last pod Running; peak RSS since each process started)"));
        if (!Completed)
        {
            text.AppendLine(Invariant($"NOT COMPLETE: {Running}/{s.Replicas} pods Running after {ElapsedSeconds:F0} s"));
        }

        return text.ToString();
    }

    public override string Json() => JsonReport(json =>
    {
        json.WriteNumber("members", Settings.Members);
        json.WriteNumber("nodes", Settings.Nodes);
        json.WriteNumber("replicas", Settings.Replicas);
        json.WriteNumber("clusterUpSeconds", Math.Round(ClusterUpSeconds, 3));
        json.WriteNumber("created", Created);
        json.WriteNumber("scheduled", Scheduled);
        json.WriteNumber("running", Running);
        Number(json, "allCreatedSeconds", AllCreatedSeconds);
        Number(json, "allScheduledSeconds", AllScheduledSeconds);
        Number(json, "allRunningSeconds", AllRunningSeconds);
        Number(json, "schedulerPodsPerSecond", SchedulerPodsPerSecond);
        json.WriteNumber("peakBindingsPerSecond", PeakBindingsPerSecond);
        json.WriteNumber("elapsedSeconds", Math.Round(ElapsedSeconds, 3));
        json.WriteBoolean("completed", Completed);
        json.WriteStartArray("components");
        foreach (var c in Components)
        {
            json.WriteStartObject();
            json.WriteString("name", c.Name);
            Number(json, "pid", c.Pid);
            Number(json, "cpuSeconds", c.CpuSeconds);
            Number(json, "peakRssBytes", c.PeakRssBytes);
            Number(json, "rssBytes", c.RssBytes);
            json.WriteEndObject();
        }

        json.WriteEndArray();
    });

    private static void Number(Utf8JsonWriter json, string name, double? value) => ReportFormat.Number(json, name, value);

    private static string Invariant(FormattableString text) => ReportFormat.Invariant(text);

    private static string Seconds(double? value) => Fixed(value, "F2");

    private static string Fixed(double? value, string format) => ReportFormat.Fixed(value, format);

    private static string MiB(long? bytes) => ReportFormat.MiB(bytes);
}
