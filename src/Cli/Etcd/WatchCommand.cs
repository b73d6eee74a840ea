using System.CommandLine;
using Etcdserverpb;
using MiniKube.Cli.Etcd.Output;
using MiniKube.Etcd.Client;

namespace MiniKube.Cli.Etcd;

/// <summary>
/// <c>mkctl etcd watch KEY [RANGE_END]</c>: prints every change until Ctrl+C. If the store goes
/// away and comes back, the watch resumes where it left off, printing nothing twice.
/// </summary>
public static class WatchCommand
{
    public static Command Create(EtcdGlobalOptions global)
    {
        var key = new Argument<string>("key") { Description = "The key, or the first key of the range." };
        var rangeEnd = new Argument<string?>("range-end") { Description = "The end of the range [key, range-end).", Arity = ArgumentArity.ZeroOrOne };
        var prefix = new Option<bool>("--prefix") { Description = "Watch on a prefix." };
        var fromKey = new Option<bool>("--from-key") { Description = "Watch every key greater than or equal to the given key." };
        var revision = new Option<long>("--rev") { Description = "Revision to start watching from (replays history from it)." };
        var prevKv = new Option<bool>("--prev-kv") { Description = "Get the previous key-value pair before the event happens." };

        var command = new Command("watch", "Watches events stream on keys or prefixes, until Ctrl+C.") { key, rangeEnd, prefix, fromKey, revision, prevKv };
        command.SetAction((parse, cancellationToken) => EtcdSession.RunAsync(parse, global, async (session, ct) =>
        {
            var format = session.FormatOr(OutputFormat.Readable, OutputFormat.Simple, OutputFormat.Json);
            var isPrefix = parse.GetValue(prefix);
            var isFromKey = parse.GetValue(fromKey);
            var options = new WatchOptions
            {
                RangeEnd = Keys.RangeEnd(parse.GetValue(rangeEnd), isPrefix, isFromKey),
                Prefix = isPrefix,
                FromKey = isFromKey,
                Revision = parse.GetValue(revision),
                PrevKv = parse.GetValue(prevKv),
            };
            var output = session.Output;
            await using var watcher = session.Client.Watch(parse.GetValue(key)!, options);
            try
            {
                await foreach (var update in watcher.WithCancellation(ct).ConfigureAwait(false))
                {
                    Print(output, format, update);
                    await output.FlushAsync(ct).ConfigureAwait(false);
                }
            }
            catch (EtcdCompactedException e) when (e.CompactRevision > 0)
            {
                await session.Error.WriteLineAsync($"Error: {e.Message}").ConfigureAwait(false);
                await session.Error.WriteLineAsync($"(history before revision {e.CompactRevision} was compacted away: watch from --rev {e.CompactRevision} or later)").ConfigureAwait(false);
                return EtcdSession.ExitError;
            }

            return 0;
        }, cancellationToken));
        return command;
    }

    private static void Print(TextWriter output, OutputFormat format, WatchUpdate update)
    {
        if (format == OutputFormat.Json)
        {
            var response = new WatchResponse { Header = update.Header };
            response.Events.AddRange(update.Events);
            output.WriteLine(GoJson.Serialize(response));
            return;
        }

        foreach (var e in update.Events)
        {
            if (format == OutputFormat.Simple)
            {
                KeyValuePrinter.WriteSimple(output, e);
            }
            else
            {
                KeyValuePrinter.WriteReadable(output, e);
            }
        }
    }
}
