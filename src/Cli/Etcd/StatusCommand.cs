using System.CommandLine;
using System.Globalization;
using MiniKube.Cli.Etcd.Output;
using MiniKube.Etcd.Client;

namespace MiniKube.Cli.Etcd;

/// <summary><c>mkctl etcd status</c>: each endpoint's member, version, revisions, Raft position and database size.</summary>
public static class StatusCommand
{
    public static Command Create(EtcdGlobalOptions global)
    {
        var command = new Command("status", "Prints out the status of the endpoints (etcdctl endpoint status).");
        command.SetAction((parse, cancellationToken) => EtcdSession.RunAsync(parse, global, async (session, ct) =>
        {
            var format = session.FormatOr(OutputFormat.Readable, OutputFormat.Table, OutputFormat.Json);
            var statuses = new List<(Uri Endpoint, Etcdserverpb.StatusResponse Status, long? Compacted)>();
            var failed = false;
            foreach (var endpoint in session.Client.Endpoints)
            {
                try
                {
                    var status = await session.Client.Maintenance.StatusAsync(endpoint, ct).ConfigureAwait(false);
                    statuses.Add((endpoint, status, await CompactRevisionAsync(session.Client, endpoint, ct).ConfigureAwait(false)));
                }
                catch (EtcdException e)
                {
                    failed = true;
                    await session.Error.WriteLineAsync($"Failed to get the status of endpoint {Name(endpoint)} ({e.Message})").ConfigureAwait(false);
                }
            }

            var output = session.Output;
            switch (format)
            {
                case OutputFormat.Json:
                    await output.WriteLineAsync("[" + string.Join(",", statuses.Select(s => $"{{\"Endpoint\":\"{Name(s.Endpoint)}\",\"Status\":{GoJson.Serialize(s.Status)}}}")) + "]").ConfigureAwait(false);
                    break;
                case OutputFormat.Table:
                    var table = new TextTable("ENDPOINT", "ID", "VERSION", "REVISION", "COMPACTED", "DB SIZE", "IS LEADER", "RAFT TERM", "RAFT INDEX", "ERRORS") { AlignRight = true };
                    foreach (var (endpoint, status, compacted) in statuses)
                    {
                        table.Add(Name(endpoint), KeyValuePrinter.MemberId(status.Header.MemberId), status.Version, Number(status.Header.Revision),
                            compacted is { } c ? Number(c) : "?", Bytes(status.DbSize), (status.Leader == status.Header.MemberId).ToString().ToLowerInvariant(),
                            Number((long)status.RaftTerm), Number((long)status.RaftIndex), string.Join(", ", status.Errors));
                    }

                    await output.WriteLineAsync(table.ToString()).ConfigureAwait(false);
                    break;
                default:
                    foreach (var (endpoint, status, compacted) in statuses)
                    {
                        var leader = status.Leader == status.Header.MemberId ? " (leader)" : $" (leader is {KeyValuePrinter.MemberId(status.Leader)})";
                        await output.WriteLineAsync(Name(endpoint)).ConfigureAwait(false);
                        await output.WriteLineAsync($"  member      {KeyValuePrinter.MemberId(status.Header.MemberId)}{leader}").ConfigureAwait(false);
                        await output.WriteLineAsync($"  version     {status.Version}").ConfigureAwait(false);
                        await output.WriteLineAsync($"  revision    {status.Header.Revision}, {(compacted is { } c ? c > 0 ? $"compacted at {c}" : "never compacted" : "compaction unknown")}").ConfigureAwait(false);
                        await output.WriteLineAsync($"  raft        term {status.RaftTerm}, index {status.RaftIndex}, applied {status.RaftAppliedIndex}").ConfigureAwait(false);
                        await output.WriteLineAsync($"  db size     {Bytes(status.DbSize)} ({Bytes(status.DbSizeInUse)} in use)").ConfigureAwait(false);
                        foreach (var error in status.Errors)
                        {
                            await output.WriteLineAsync($"  error       {error}").ConfigureAwait(false);
                        }
                    }

                    break;
            }

            return failed ? EtcdSession.ExitError : 0;
        }, cancellationToken));
        return command;
    }

    /// <summary>Status does not say the compaction revision; HashKV does (-1 or 0 when never compacted).</summary>
    private static async Task<long?> CompactRevisionAsync(EtcdClient client, Uri endpoint, CancellationToken cancellationToken)
    {
        try
        {
            return Math.Max(0, (await client.Maintenance.HashKVAsync(endpoint, 0, cancellationToken).ConfigureAwait(false)).CompactRevision);
        }
        catch (EtcdException)
        {
            return null;
        }
    }

    private static string Name(Uri endpoint) => endpoint.GetLeftPart(UriPartial.Authority);

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>Sizes as etcdctl prints them (go-humanize: powers of 1000).</summary>
    public static string Bytes(long bytes)
    {
        string[] units = ["B", "kB", "MB", "GB", "TB"];
        double value = bytes;
        var unit = 0;
        while (value >= 1000 && unit < units.Length - 1)
        {
            value /= 1000;
            unit++;
        }

        return unit == 0 ? $"{bytes} B" : string.Create(CultureInfo.InvariantCulture, $"{value.ToString(value < 10 ? "0.0" : "0", CultureInfo.InvariantCulture)} {units[unit]}");
    }
}
