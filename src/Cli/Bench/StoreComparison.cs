using System.Globalization;
using System.Text;
using System.Text.Json;

namespace MiniKube.Cli.Bench;

/// <summary>
/// <c>mkctl bench store --compare-etcd</c>: starts a fresh MiniKube store cluster and a fresh real
/// etcd cluster of the same size (<c>--members</c>, one by default) side by side (child processes,
/// free loopback ports, data directories under the temp directory, fsync on in both, the same Raft
/// timing), warms both up with an unrecorded round of every workload, runs
/// the same workloads against each in turn and
/// tabulates ops/s and latency with the ratios MiniKube/etcd. With several rounds the whole list
/// runs again, the server that goes first alternating, and each workload's runs are pooled (so a
/// burst of noise from elsewhere on the machine spoils one run of one workload, not the table).
/// Every member and its directory is removed at the end.
/// </summary>
public static class StoreComparison
{
    /// <summary>The pause between the warm-up round and the measured rounds.</summary>
    public static readonly TimeSpan SettleTime = TimeSpan.FromSeconds(3);

    /// <summary>One line of the table: a name and the settings it runs with (the endpoints are filled in per server).</summary>
    public sealed record Workload(string Name, StoreBenchSettings Settings);

    /// <summary>The results of one workload on both servers.</summary>
    /// <param name="MiniKubeResidentBytes">The most resident memory of all members together seen right after a run of the workload.</param>
    public sealed record Row(Workload Workload, BenchReport MiniKube, BenchReport Etcd, TimeSpan MiniKubeCpu, TimeSpan EtcdCpu, long MiniKubeResidentBytes = 0, long EtcdResidentBytes = 0)
    {
        /// <summary>Server CPU time per operation, in microseconds (user and system time of every member process).</summary>
        public double MiniKubeCpuPerOp => CpuPerOp(MiniKubeCpu, MiniKube);

        public double EtcdCpuPerOp => CpuPerOp(EtcdCpu, Etcd);

        /// <summary>MiniKube's throughput over etcd's: above 1 is faster.</summary>
        public double ThroughputRatio => Ratio(MiniKube.Throughput, Etcd.Throughput);

        /// <summary>MiniKube's p50 over etcd's: below 1 is better.</summary>
        public double P50Ratio => Ratio(MiniKube.Percentile(50), Etcd.Percentile(50));

        /// <summary>MiniKube's p99 over etcd's: below 1 is better.</summary>
        public double P99Ratio => Ratio(MiniKube.Percentile(99), Etcd.Percentile(99));

        private static double Ratio(double a, double b) => b > 0 ? a / b : double.NaN;

        private static double CpuPerOp(TimeSpan cpu, BenchReport report) => report.Operations > 0 ? cpu.TotalMicroseconds / report.Operations : 0;
    }

    /// <summary>
    /// The workloads compared: put at 1 client and at 100, linearizable and serializable range at
    /// 1 client and at 100, txn-put, and watch fan-out. <paramref name="total"/>, when given, replaces every workload's.
    /// </summary>
    public static IReadOnlyList<Workload> DefaultWorkloads(int keySize, int valSize, int? total)
    {
        var template = new StoreBenchSettings { Endpoints = [], KeySize = keySize, ValSize = valSize, KeySpaceSize = 100_000 };
        var reads = template with { Op = StoreOp.Range, KeySpaceSize = 1_000 };
        Workload[] workloads =
        [
            new("put, 1 client", template with { Op = StoreOp.Put, Clients = 1, Conns = 1, Total = 3_000 }),
            new("put, 100 clients", template with { Op = StoreOp.Put, Clients = 100, Conns = 10, Total = 30_000 }),
            new("txn-put, 100 clients", template with { Op = StoreOp.TxnPut, Clients = 100, Conns = 10, Total = 30_000 }),
            new("range l, 100 clients", reads with { Clients = 100, Conns = 10, Total = 50_000, Prefill = true }),
            new("range s, 100 clients", reads with { Clients = 100, Conns = 10, Total = 50_000, Serializable = true }),
            new("range l, 1 client", reads with { Clients = 1, Conns = 1, Total = 5_000 }),
            new("range s, 1 client", reads with { Clients = 1, Conns = 1, Total = 5_000, Serializable = true }),
            new("watch, 100 watchers", template with { Op = StoreOp.Watch, Clients = 100, Conns = 10, Total = 1_000 }),
        ];
        return total is { } t ? [.. workloads.Select(w => w with { Settings = w.Settings with { Total = t } })] : workloads;
    }

    public static async Task<IReadOnlyList<Row>> RunAsync(IReadOnlyList<Workload> workloads, string etcdBinary, int members, int? warmup, int rounds, TextWriter progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(workloads);
        ArgumentNullException.ThrowIfNull(progress);
        var root = Path.Combine(Path.GetTempPath(), $"mkctl-bench-{Guid.NewGuid():N}");
        try
        {
            await using var minikube = await BenchCluster.StartMiniKubeAsync(members, Path.Combine(root, "minikube"), cancellationToken).ConfigureAwait(false);
            await using var etcd = await BenchCluster.StartEtcdAsync(etcdBinary, members, Path.Combine(root, "etcd"), cancellationToken).ConfigureAwait(false);
            await progress.WriteLineAsync($"minikube at {string.Join(',', minikube.ClientUrls)}, etcd at {string.Join(',', etcd.ClientUrls)} (leader last), data in {root}").ConfigureAwait(false);
            // A warm-up round of the whole list, not recorded, then a pause: JIT tiering (on the
            // store and on this client) and the servers' caches settle before anything is measured.
            foreach (var workload in workloads)
            {
                var settings = workload.Settings with { Total = warmup ?? Math.Max(500, workload.Settings.Total / 5) };
                if (settings.Total > 0)
                {
                    await StoreBenchmark.RunAsync(settings with { Endpoints = minikube.ClientUrls }, cancellationToken).ConfigureAwait(false);
                    await StoreBenchmark.RunAsync(settings with { Endpoints = etcd.ClientUrls }, cancellationToken).ConfigureAwait(false);
                }
            }

            await Task.Delay(SettleTime, cancellationToken).ConfigureAwait(false);
            var runs = workloads.Select(_ => (MiniKube: new List<BenchReport>(), Etcd: new List<BenchReport>())).ToList();
            var cpu = new (TimeSpan MiniKube, TimeSpan Etcd)[workloads.Count];
            var resident = new (long MiniKube, long Etcd)[workloads.Count];
            for (var round = 0; round < rounds; round++)
            {
                for (var i = 0; i < workloads.Count; i++)
                {
                    var workload = workloads[i];
                    BenchReport mk, real;
                    TimeSpan mkCpu, realCpu;
                    if (round % 2 == 0)
                    {
                        (mk, mkCpu) = await MeasureAsync(minikube, workload, cancellationToken).ConfigureAwait(false);
                        (real, realCpu) = await MeasureAsync(etcd, workload, cancellationToken).ConfigureAwait(false);
                    }
                    else
                    {
                        (real, realCpu) = await MeasureAsync(etcd, workload, cancellationToken).ConfigureAwait(false);
                        (mk, mkCpu) = await MeasureAsync(minikube, workload, cancellationToken).ConfigureAwait(false);
                    }

                    cpu[i] = (cpu[i].MiniKube + mkCpu, cpu[i].Etcd + realCpu);
                    resident[i] = (Math.Max(resident[i].MiniKube, minikube.ResidentBytes), Math.Max(resident[i].Etcd, etcd.ResidentBytes));

                    runs[i].MiniKube.Add(mk);
                    runs[i].Etcd.Add(real);
                    await progress.WriteLineAsync(Inv(
                        $"[round {round + 1}/{rounds}, {i + 1}/{workloads.Count}] {workload.Name}: minikube {mk.Throughput:F0} ops/s p99 {Ms(mk.Percentile(99))} ms, etcd {real.Throughput:F0} ops/s p99 {Ms(real.Percentile(99))} ms")).ConfigureAwait(false);
                }
            }

            var rows = workloads.Select((w, i) => new Row(w, BenchReport.Combine(runs[i].MiniKube), BenchReport.Combine(runs[i].Etcd), cpu[i].MiniKube, cpu[i].Etcd, resident[i].MiniKube, resident[i].Etcd)).ToList();
            return rows;
        }
        finally
        {
            try
            {
                Directory.Delete(root, recursive: true);
            }
            catch (DirectoryNotFoundException)
            {
            }
        }
    }

    /// <summary>What was compared, e.g. "3-member MiniKube cluster vs 3-member etcd cluster".</summary>
    public static string Heading(int members) =>
        members == 1 ? "single-member MiniKube vs single-member etcd" : $"{members}-member MiniKube cluster vs {members}-member etcd cluster";

    /// <summary>
    /// The comparison as a Markdown table under a heading naming both sides (it reads as well in a
    /// terminal as in the docs). CPU and memory are of all members together.
    /// </summary>
    public static string Table(IReadOnlyList<Row> rows, int members = 1)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var text = new StringBuilder();
        text.Append("### ").Append(Heading(members)).Append("\n\n");
        text.Append("| workload | clients/conns | ops | MiniKube ops/s | etcd ops/s | ops/s ratio | MiniKube p50 ms | etcd p50 ms | MiniKube p99 ms | etcd p99 ms | p99 ratio | server CPU µs/op (MiniKube/etcd) | server RSS MiB (MiniKube/etcd) | errors (MiniKube/etcd) |\n");
        text.Append("|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n");
        foreach (var row in rows)
        {
            var s = row.Workload.Settings;
            text.Append(Inv($"| {row.Workload.Name} | {s.Clients}/{s.Conns} | {row.MiniKube.Operations} | {row.MiniKube.Throughput:F0} | {row.Etcd.Throughput:F0} | {row.ThroughputRatio:F2} ")
                + Inv($"| {Ms(row.MiniKube.Percentile(50))} | {Ms(row.Etcd.Percentile(50))} | {Ms(row.MiniKube.Percentile(99))} | {Ms(row.Etcd.Percentile(99))} | {row.P99Ratio:F2} ")
                + Inv($"| {row.MiniKubeCpuPerOp:F0}/{row.EtcdCpuPerOp:F0} | {Mib(row.MiniKubeResidentBytes)}/{Mib(row.EtcdResidentBytes)} | {row.MiniKube.Failed}/{row.Etcd.Failed} |\n"));
        }

        return text.ToString();
    }

    public static string Json(IReadOnlyList<Row> rows, MachineInfo machine, string conditions, int members = 1)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(machine);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteStartObject("machine");
            machine.WriteJson(json);
            json.WriteEndObject();
            json.WriteString("conditions", conditions);
            json.WriteNumber("members", members);
            json.WriteStartArray("workloads");
            foreach (var row in rows)
            {
                json.WriteStartObject();
                json.WriteString("name", row.Workload.Name);
                ReportWriter.WriteSettings(json, row.Workload.Settings with { Endpoints = [] });
                json.WriteNumber("opsRatio", Math.Round(row.ThroughputRatio, 4));
                json.WriteNumber("p50Ratio", Math.Round(row.P50Ratio, 4));
                json.WriteNumber("p99Ratio", Math.Round(row.P99Ratio, 4));
                json.WriteStartObject("minikube");
                ReportWriter.WriteResult(json, row.MiniKube);
                json.WriteNumber("serverCpuMicrosPerOp", Math.Round(row.MiniKubeCpuPerOp, 1));
                json.WriteNumber("serverResidentBytes", row.MiniKubeResidentBytes);
                json.WriteEndObject();
                json.WriteStartObject("etcd");
                ReportWriter.WriteResult(json, row.Etcd);
                json.WriteNumber("serverCpuMicrosPerOp", Math.Round(row.EtcdCpuPerOp, 1));
                json.WriteNumber("serverResidentBytes", row.EtcdResidentBytes);
                json.WriteEndObject();
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>One run against one cluster, with the CPU time its members spent on it (prefill included).</summary>
    private static async Task<(BenchReport Report, TimeSpan Cpu)> MeasureAsync(BenchCluster cluster, Workload workload, CancellationToken cancellationToken)
    {
        var before = cluster.CpuTime;
        var report = await StoreBenchmark.RunAsync(workload.Settings with { Endpoints = cluster.ClientUrls }, cancellationToken).ConfigureAwait(false);
        return (report, cluster.CpuTime - before);
    }

    private static string Mib(long bytes) => (bytes / (1024.0 * 1024.0)).ToString("F0", CultureInfo.InvariantCulture);

    private static string Ms(double seconds) => (seconds * 1000).ToString("F2", CultureInfo.InvariantCulture);

    private static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
