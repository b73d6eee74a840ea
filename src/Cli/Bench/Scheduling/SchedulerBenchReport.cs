using MiniKube.Cli.Bench.E2e;
using static MiniKube.Cli.Bench.E2e.ReportFormat;

namespace MiniKube.Cli.Bench.Scheduling;

/// <summary>What one <c>mkctl bench scheduler</c> run measured; times are seconds from the scheduler's start.</summary>
/// <remarks><see cref="ClusterBenchReport.ClusterUpSeconds"/> runs to the apiserver ready.</remarks>
public sealed record SchedulerBenchReport : ClusterBenchReport
{
    public required SchedulerBenchSettings Settings { get; init; }

    /// <summary>Seconds the nodes and pods took to create, before the scheduler started.</summary>
    public required double FillSeconds { get; init; }

    public required int Bound { get; init; }

    /// <summary>From the scheduler's start to its first binding: process start, informer lists, leader election.</summary>
    public double? FirstBindingSeconds { get; init; }

    public double? AllBoundSeconds { get; init; }

    /// <summary>Pods bound per second from the first binding to the last.</summary>
    public double? PodsPerSecond { get; init; }

    /// <summary>The most bindings within any one second (a sliding window).</summary>
    public int PeakPodsPerSecond { get; init; }

    /// <summary>Bindings in each whole second from the first binding (see <see cref="PodTimeline.BindingsPerSecond"/>).</summary>
    public required IReadOnlyList<int> PerSecond { get; init; }

    /// <summary>CPU from the scheduler's start to the last binding (or giving up), so the scheduler's start-up counts.</summary>
    public required IReadOnlyList<ComponentUsage> FromStart { get; init; }

    /// <summary>The same processes from the first binding on: the cost of binding alone.</summary>
    public required IReadOnlyList<ComponentUsage> WhileBinding { get; init; }

    public override bool Completed => AllBoundSeconds is not null;

    public double? BindingSeconds => AllBoundSeconds - FirstBindingSeconds;

    /// <summary>The per-second rate at <paramref name="percentile"/> (nearest rank), or null without a whole second.</summary>
    public int? PerSecondPercentile(double percentile)
    {
        if (PerSecond.Count == 0)
        {
            return null;
        }

        var sorted = PerSecond.Order().ToList();
        var rank = (int)Math.Ceiling(percentile / 100 * sorted.Count);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Count - 1)];
    }

    public override string Text()
    {
        var s = Settings;
        var text = TextHeader();
        text.AppendLine(Invariant($"cluster: {s.Members} store member(s) and the apiserver, up in {ClusterUpSeconds:F1} s; {s.Nodes} Ready node(s) ({s.NodeCpu} cpu, {s.NodeMemory}, {s.NodePods} pods) and {s.Pods} pending pods (requests cpu {s.CpuRequest}, memory {s.MemoryRequest}) created in {FillSeconds:F1} s before the scheduler started"));
        text.AppendLine();
        text.AppendLine(Invariant($"{"FROM THE SCHEDULER'S START",-28} {"PODS",12} {"SECONDS",9}"));
        text.AppendLine(Invariant($"{"first pod bound",-28} {(Bound > 0 ? "1" : "0"),12} {Fixed(FirstBindingSeconds, "F2"),9}"));
        text.AppendLine(Invariant($"{"all bound",-28} {$"{Bound}/{s.Pods}",12} {Fixed(AllBoundSeconds, "F2"),9}"));
        text.AppendLine();
        text.AppendLine(Invariant($"scheduler throughput: {Fixed(PodsPerSecond, "F0")} pods/s (first to last binding, {Fixed(BindingSeconds, "F2")} s); per second: p50 {Show(PerSecondPercentile(50))}, p99 {Show(PerSecondPercentile(99))}, peak {PeakPodsPerSecond} in 1 s"));
        text.AppendLine();
        text.AppendLine(Invariant($"{"COMPONENT",-20} {"PID",8} {"CPU S FROM START",17} {"CPU S BINDING",14} {"CPU % BINDING",14} {"PEAK RSS MiB",13} {"RSS MiB",8}"));
        for (var i = 0; i < FromStart.Count; i++)
        {
            var whole = FromStart[i];
            var binding = i < WhileBinding.Count ? WhileBinding[i].CpuSeconds : null;
            var percent = binding is { } cpu && BindingSeconds is > 0 and { } window ? Fixed(100 * cpu / window, "F0") : "-";
            text.AppendLine(Invariant($"{whole.Name,-20} {whole.Pid?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-",8} {Fixed(whole.CpuSeconds, "F2"),17} {Fixed(binding, "F2"),14} {percent,14} {MiB(whole.PeakRssBytes),13} {MiB(whole.RssBytes),8}"));
        }

        text.AppendLine(Invariant($"(CPU from the scheduler's start, and from the first binding, to the last binding; peak RSS since each process started)"));
        if (!Completed)
        {
            text.AppendLine(Invariant($"NOT COMPLETE: {Bound}/{s.Pods} pods bound after {ElapsedSeconds:F0} s"));
        }

        return text.ToString();
    }

    public override string Json() => JsonReport(json =>
    {
        json.WriteNumber("members", Settings.Members);
        json.WriteNumber("nodes", Settings.Nodes);
        json.WriteNumber("pods", Settings.Pods);
        json.WriteNumber("clusterUpSeconds", Math.Round(ClusterUpSeconds, 3));
        json.WriteNumber("fillSeconds", Math.Round(FillSeconds, 3));
        json.WriteNumber("bound", Bound);
        Number(json, "firstBindingSeconds", FirstBindingSeconds);
        Number(json, "allBoundSeconds", AllBoundSeconds);
        Number(json, "podsPerSecond", PodsPerSecond);
        json.WriteNumber("peakPodsPerSecond", PeakPodsPerSecond);
        Number(json, "p50PodsPerSecond", PerSecondPercentile(50));
        Number(json, "p99PodsPerSecond", PerSecondPercentile(99));
        json.WriteStartArray("perSecond");
        foreach (var count in PerSecond)
        {
            json.WriteNumberValue(count);
        }

        json.WriteEndArray();
        json.WriteNumber("elapsedSeconds", Math.Round(ElapsedSeconds, 3));
        json.WriteBoolean("completed", Completed);
        json.WriteStartArray("components");
        for (var i = 0; i < FromStart.Count; i++)
        {
            var c = FromStart[i];
            json.WriteStartObject();
            json.WriteString("name", c.Name);
            Number(json, "pid", c.Pid);
            Number(json, "cpuSecondsFromStart", c.CpuSeconds);
            Number(json, "cpuSecondsWhileBinding", i < WhileBinding.Count ? WhileBinding[i].CpuSeconds : null);
            Number(json, "peakRssBytes", c.PeakRssBytes);
            Number(json, "rssBytes", c.RssBytes);
            json.WriteEndObject();
        }

        json.WriteEndArray();
    });

    private static string Show(int? value) => value?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-";
}
