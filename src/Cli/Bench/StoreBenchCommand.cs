using System.CommandLine;
using System.CommandLine.Parsing;

namespace MiniKube.Cli.Bench;

/// <summary>
/// <c>mkctl bench store</c>: etcd's <c>benchmark</c> tool against any etcd-API endpoint, with its
/// flags (the operation is <c>--op</c> instead of a subcommand); <c>--compare-etcd</c> runs a fixed
/// set of workloads against a fresh MiniKube store and a fresh real etcd and tabulates both.
/// </summary>
public static class StoreBenchCommand
{
    public static Command Create()
    {
        var defaults = new StoreBenchSettings { Endpoints = [] };
        var endpoints = new Option<IReadOnlyList<Uri>>("--endpoints")
        {
            Description = "Comma-separated gRPC endpoints; connections go to them round-robin.",
            DefaultValueFactory = _ => [new Uri("http://127.0.0.1:2379")],
            CustomParser = ParseEndpoints,
        };
        var clients = new Option<int>("--clients") { Description = "Concurrent clients (for --op watch: watchers).", DefaultValueFactory = _ => defaults.Clients };
        var conns = new Option<int>("--conns") { Description = "gRPC connections; clients are spread over them.", DefaultValueFactory = _ => defaults.Conns };
        var op = new Option<string>("--op") { Description = "Operation: put, range, txn-put or watch.", DefaultValueFactory = _ => "put" };
        op.AcceptOnlyFromAmong([.. StoreOpNames.All]);
        var total = new Option<int>("--total") { Description = "Operations in total (for --op watch: writes, each delivered to every watcher).", DefaultValueFactory = _ => defaults.Total };
        var keySize = new Option<int>("--key-size") { Description = "Key size in bytes.", DefaultValueFactory = _ => defaults.KeySize };
        var valSize = new Option<int>("--val-size") { Description = "Value size in bytes.", DefaultValueFactory = _ => defaults.ValSize };
        var keySpace = new Option<long>("--key-space-size") { Description = "Distinct keys the operations pick from.", DefaultValueFactory = _ => defaults.KeySpaceSize };
        var sequential = new Option<bool>("--sequential-keys") { Description = "Use keys in order (operation i takes key i mod key space) instead of at random." };
        var consistency = new Option<string>("--consistency") { Description = "Range consistency: l (linearizable) or s (serializable).", DefaultValueFactory = _ => "l" };
        consistency.AcceptOnlyFromAmong("l", "s");
        var rate = new Option<double>("--rate") { Description = "Operations per second across all clients (0 is no limit)." };
        var precise = new Option<bool>("--precise") { Description = "Print times with full precision instead of four decimals." };
        var prefill = new Option<bool>("--prefill") { Description = "Put every key of the key space once before measuring (so that ranges find values)." };
        var warmup = new Option<int>("--warmup") { Description = "Operations run before measuring, not recorded (default: none; with --compare-etcd, the operations of each workload in the warm-up round, default a fifth of its total, 0 for no warm-up)." };
        var seed = new Option<int>("--seed") { Description = "Seed of the random key choice.", DefaultValueFactory = _ => defaults.Seed };
        var output = new Option<string>("--output", "-o") { Description = "Output format: text (as etcd's benchmark) or json.", DefaultValueFactory = _ => "text" };
        output.AcceptOnlyFromAmong("text", "json");
        var compare = new Option<bool>("--compare-etcd")
        {
            Description = "Start a fresh MiniKube store and a fresh real etcd (--members each), run the same workloads against both, print a table with the ratios (ignores the workload flags except --total, --key-size, --val-size, --warmup, --rounds).",
        };
        var rounds = new Option<int>("--rounds") { Description = "With --compare-etcd: run the workloads this many times, alternating which server goes first, and pool the results.", DefaultValueFactory = _ => 1 };
        var members = new Option<int>("--members") { Description = "With --compare-etcd: members of each cluster (MiniKube's and etcd's); connections go round-robin over them, followers first.", DefaultValueFactory = _ => 1 };
        members.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() is < 1 or > 7)
            {
                result.AddError("--members must be between 1 and 7");
            }
        });
        var etcdBinary = new Option<string>("--etcd-binary") { Description = "The etcd to compare with.", DefaultValueFactory = _ => "/usr/bin/etcd" };

        var command = new Command("store", "Benchmark an etcd-API store (MiniKube's or a real etcd), like etcd's benchmark tool.");
        foreach (var option in new Option[] { endpoints, clients, conns, op, total, keySize, valSize, keySpace, sequential, consistency, rate, precise, prefill, warmup, seed, output, compare, rounds, members, etcdBinary })
        {
            command.Options.Add(option);
        }

        command.SetAction(async (parse, cancellationToken) =>
        {
            var json = parse.GetValue(output) == "json";
            if (parse.GetValue(compare))
            {
                var explicitTotal = parse.GetResult(total) is { Implicit: false } ? parse.GetValue(total) : (int?)null;
                var explicitWarmup = parse.GetResult(warmup) is { Implicit: false } ? parse.GetValue(warmup) : (int?)null;
                return await CompareAsync(parse.GetValue(keySize), parse.GetValue(valSize), explicitTotal, explicitWarmup, Math.Max(1, parse.GetValue(rounds)), parse.GetValue(members), parse.GetValue(etcdBinary)!, json, cancellationToken).ConfigureAwait(false);
            }

            var settings = new StoreBenchSettings
            {
                Endpoints = parse.GetValue(endpoints)!,
                Op = StoreOpNames.Parse(parse.GetValue(op)!),
                Clients = parse.GetValue(clients),
                Conns = parse.GetValue(conns),
                Total = parse.GetValue(total),
                KeySize = parse.GetValue(keySize),
                ValSize = parse.GetValue(valSize),
                KeySpaceSize = parse.GetValue(keySpace),
                SequentialKeys = parse.GetValue(sequential),
                Serializable = parse.GetValue(consistency) == "s",
                Rate = parse.GetValue(rate),
                Prefill = parse.GetValue(prefill),
                Warmup = parse.GetValue(warmup),
                Seed = parse.GetValue(seed),
            };
            if (settings.Validate() is { } problem)
            {
                await Console.Error.WriteLineAsync($"Error: {problem}").ConfigureAwait(false);
                return 1;
            }

            var report = await StoreBenchmark.RunAsync(settings, cancellationToken).ConfigureAwait(false);
            await Console.Out.WriteAsync(json ? ReportWriter.Json(report, settings) + "\n" : ReportWriter.Text(report, parse.GetValue(precise))).ConfigureAwait(false);
            return report.Failed > 0 ? 1 : 0;
        });
        return command;
    }

    private static async Task<int> CompareAsync(int keySize, int valSize, int? total, int? warmup, int rounds, int members, string etcdBinary, bool json, CancellationToken cancellationToken)
    {
        if (!File.Exists(etcdBinary))
        {
            await Console.Error.WriteLineAsync($"Error: no etcd at {etcdBinary} (see --etcd-binary)").ConfigureAwait(false);
            return 1;
        }

        var machine = await MachineInfo.DetectAsync(etcdBinary).ConfigureAwait(false);
        await Console.Error.WriteLineAsync(machine.ToString()).ConfigureAwait(false);
        var loadBefore = MachineInfo.LoadAverage();
        var workloads = StoreComparison.DefaultWorkloads(keySize, valSize, total);
        var rows = await StoreComparison.RunAsync(workloads, etcdBinary, members, warmup, rounds, Console.Error, cancellationToken).ConfigureAwait(false);
        var load = $"load average before {loadBefore}, after {MachineInfo.LoadAverage()}; {rounds} round(s) after a warm-up round of {(warmup is { } w ? $"{w} ops" : "a fifth of the ops")} per workload";
        await Console.Out.WriteAsync(json ? StoreComparison.Json(rows, machine, load, members) + "\n" : $"\n{machine}\n{load}\n\n{StoreComparison.Table(rows, members)}").ConfigureAwait(false);
        return rows.Any(r => r.MiniKube.Failed + r.Etcd.Failed > 0) ? 1 : 0;
    }

    /// <summary>Comma-separated URLs; a bare host:port (as etcd's benchmark takes) means http://host:port.</summary>
    private static List<Uri> ParseEndpoints(ArgumentResult result)
    {
        var urls = new List<Uri>();
        foreach (var token in result.Tokens)
        {
            foreach (var part in token.Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                var text = part.Contains("://", StringComparison.Ordinal) ? part : $"http://{part}";
                if (!Uri.TryCreate(text, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
                {
                    result.AddError($"invalid endpoint \"{part}\": expected http://host:port or host:port");
                    return [];
                }

                urls.Add(url);
            }
        }

        return urls;
    }
}
