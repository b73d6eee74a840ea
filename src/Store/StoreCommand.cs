using System.CommandLine;
using System.CommandLine.Parsing;
using Microsoft.Extensions.Logging;
using MiniKube.Etcd.Api;
using MiniKube.Store.Server;

namespace MiniKube.Store;

/// <summary>
/// <c>mkctl store</c> (and the store's own executable): runs one member in the foreground until
/// SIGTERM or Ctrl+C. The flags are etcd's, with etcd's defaults except where noted.
/// </summary>
public static class StoreCommand
{
    public static Command Create(string name = "store")
    {
        var defaults = new StoreOptions();
        var memberName = new Option<string>("--name") { Description = "Human-readable name for this member.", DefaultValueFactory = _ => defaults.Name };
        var dataDir = new Option<string?>("--data-dir") { Description = "Path to the data directory (default: <name>.mk-store)." };
        var listenClient = UrlList("--listen-client-urls", "List of URLs to listen on for client traffic.", defaults.ListenClientUrls);
        var advertiseClient = UrlList("--advertise-client-urls", "List of this member's client URLs to advertise to the rest of the cluster (default: the listen URLs).", null);
        var listenMetrics = UrlList("--listen-metrics-urls", "List of URLs to listen on for the metrics and health endpoints (served on the client URLs too).", defaults.ListenMetricsUrls);
        var listenPeer = UrlList("--listen-peer-urls", "List of URLs to listen on for peer traffic.", defaults.ListenPeerUrls);
        var advertisePeer = UrlList("--initial-advertise-peer-urls", "List of this member's peer URLs to advertise to the rest of the cluster (default: the listen URLs).", null);
        var initialCluster = new Option<string?>("--initial-cluster") { Description = "Initial cluster configuration for bootstrapping, e.g. n1=http://127.0.0.1:2380,n2=… (default: this member alone)." };
        var initialClusterState = new Option<string>("--initial-cluster-state") { Description = "Initial cluster state ('new' or 'existing').", DefaultValueFactory = _ => defaults.InitialClusterState };
        initialClusterState.AcceptOnlyFromAmong("new", "existing");
        var initialClusterToken = new Option<string>("--initial-cluster-token") { Description = "Initial cluster token for the cluster during bootstrap.", DefaultValueFactory = _ => defaults.InitialClusterToken };
        var snapshotCount = new Option<long>("--snapshot-count") { Description = "Number of committed transactions to trigger a snapshot to disk.", DefaultValueFactory = _ => defaults.SnapshotCount };
        var heartbeat = new Option<int>("--heartbeat-interval") { Description = "Time (in milliseconds) of a heartbeat interval.", DefaultValueFactory = _ => (int)defaults.HeartbeatInterval.TotalMilliseconds };
        var election = new Option<int>("--election-timeout") { Description = "Time (in milliseconds) for an election to timeout.", DefaultValueFactory = _ => (int)defaults.ElectionTimeout.TotalMilliseconds };
        var quota = new Option<long>("--quota-backend-bytes") { Description = "Raise alarms when backend size exceeds the given quota (0 defaults to low space quota).", DefaultValueFactory = _ => defaults.QuotaBackendBytes };
        var maxRequestBytes = new Option<int>("--max-request-bytes") { Description = "Maximum client request size in bytes the server will accept.", DefaultValueFactory = _ => defaults.MaxRequestBytes };
        var maxTxnOps = new Option<int>("--max-txn-ops") { Description = "Maximum number of operations permitted in a transaction.", DefaultValueFactory = _ => defaults.MaxTxnOps };
        var progressInterval = new Option<string>("--experimental-watch-progress-notify-interval") { Description = "Duration of periodic watch progress notifications.", DefaultValueFactory = _ => "10m" };
        var logLevel = new Option<string>("--log-level") { Description = "Configures log level. Only supports debug, info, warn, error, panic, or fatal.", DefaultValueFactory = _ => "info" };
        logLevel.AcceptOnlyFromAmong("debug", "info", "warn", "error", "panic", "fatal");

        var command = new Command(name, "Run a store member (etcd-compatible, on RocksDB) in the foreground.");
        foreach (var option in new Option[] { memberName, dataDir, listenClient, advertiseClient, listenMetrics, listenPeer, advertisePeer, initialCluster, initialClusterState, initialClusterToken, snapshotCount, heartbeat, election, quota, maxRequestBytes, maxTxnOps, progressInterval, logLevel })
        {
            command.Options.Add(option);
        }

        command.SetAction(async (parse, cancellationToken) =>
        {
            TimeSpan progress;
            try
            {
                progress = GoDuration.Parse(parse.GetValue(progressInterval)!);
            }
            catch (FormatException e)
            {
                await Console.Error.WriteLineAsync($"Error: --experimental-watch-progress-notify-interval: {e.Message}").ConfigureAwait(false);
                return 1;
            }

            var options = new StoreOptions
            {
                Name = parse.GetValue(memberName)!,
                DataDir = parse.GetValue(dataDir),
                ListenClientUrls = parse.GetValue(listenClient)!,
                AdvertiseClientUrls = parse.GetValue(advertiseClient),
                ListenMetricsUrls = parse.GetValue(listenMetrics)!,
                ListenPeerUrls = parse.GetValue(listenPeer)!,
                InitialAdvertisePeerUrls = parse.GetValue(advertisePeer),
                InitialCluster = parse.GetValue(initialCluster),
                InitialClusterState = parse.GetValue(initialClusterState)!,
                InitialClusterToken = parse.GetValue(initialClusterToken)!,
                SnapshotCount = parse.GetValue(snapshotCount),
                HeartbeatInterval = TimeSpan.FromMilliseconds(parse.GetValue(heartbeat)),
                ElectionTimeout = TimeSpan.FromMilliseconds(parse.GetValue(election)),
                QuotaBackendBytes = parse.GetValue(quota),
                MaxRequestBytes = parse.GetValue(maxRequestBytes),
                MaxTxnOps = parse.GetValue(maxTxnOps),
                WatchProgressNotifyInterval = progress,
                LogLevel = parse.GetValue(logLevel) switch
                {
                    "debug" => LogLevel.Debug,
                    "warn" => LogLevel.Warning,
                    "error" => LogLevel.Error,
                    "panic" or "fatal" => LogLevel.Critical,
                    _ => LogLevel.Information,
                },
            };
            return await RunAsync(options, cancellationToken).ConfigureAwait(false);
        });
        return command;
    }

    public static async Task<int> RunAsync(StoreOptions options, CancellationToken cancellationToken)
    {
        StoreMember member;
        try
        {
            member = await StoreMember.StartAsync(options, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (StoreStartException e)
        {
            await Console.Error.WriteLineAsync($"Error: {e.Message}").ConfigureAwait(false);
            return 1;
        }

        await using (member.ConfigureAwait(false))
        {
            await member.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
        }

        return 0;
    }

    private static Option<IReadOnlyList<Uri>?> UrlList(string name, string description, IReadOnlyList<Uri>? defaultValue)
    {
        var option = new Option<IReadOnlyList<Uri>?>(name)
        {
            Description = description,
            CustomParser = result => ParseUrls(result),
        };
        if (defaultValue is not null)
        {
            option.DefaultValueFactory = _ => defaultValue;
        }

        return option;
    }

    private static List<Uri>? ParseUrls(ArgumentResult result)
    {
        var urls = new List<Uri>();
        foreach (var token in result.Tokens)
        {
            foreach (var part in token.Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                if (!Uri.TryCreate(part, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https") || url.IsDefaultPort && !part.Contains(':', StringComparison.Ordinal))
                {
                    result.AddError($"invalid URL \"{part}\": expected scheme://host:port, e.g. http://127.0.0.1:2379");
                    return null;
                }

                urls.Add(url);
            }
        }

        return urls;
    }
}
