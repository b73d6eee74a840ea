using System.CommandLine;
using MiniKube.Cli.Etcd.Output;
using MiniKube.Etcd.Client;

namespace MiniKube.Cli.Etcd;

/// <summary><c>mkctl etcd del KEY [RANGE_END]</c>: deletes a key or a range of keys.</summary>
public static class DelCommand
{
    public static Command Create(EtcdGlobalOptions global)
    {
        var key = new Argument<string>("key") { Description = "The key, or the first key of the range." };
        var rangeEnd = new Argument<string?>("range-end") { Description = "The end of the range [key, range-end).", Arity = ArgumentArity.ZeroOrOne };
        var prefix = new Option<bool>("--prefix") { Description = "Delete keys with matching prefix." };
        var fromKey = new Option<bool>("--from-key") { Description = "Delete keys that are greater than or equal to the given key using byte compare." };
        var prevKv = new Option<bool>("--prev-kv") { Description = "Return deleted key-value pairs." };

        var command = new Command("del", "Removes the specified key or range of keys [key, range_end).") { key, rangeEnd, prefix, fromKey, prevKv };
        command.SetAction((parse, cancellationToken) => EtcdSession.RunAsync(parse, global, async (session, ct) =>
        {
            var format = session.FormatOr(OutputFormat.Readable, OutputFormat.Simple, OutputFormat.Json);
            var isPrefix = parse.GetValue(prefix);
            var isFromKey = parse.GetValue(fromKey);
            var options = new DeleteOptions
            {
                RangeEnd = Keys.RangeEnd(parse.GetValue(rangeEnd), isPrefix, isFromKey),
                Prefix = isPrefix,
                FromKey = isFromKey,
                PrevKv = parse.GetValue(prevKv),
            };
            var response = await session.Client.DeleteAsync(parse.GetValue(key)!, options, ct).ConfigureAwait(false);
            var output = session.Output;
            switch (format)
            {
                case OutputFormat.Json:
                    await output.WriteLineAsync(GoJson.Serialize(response)).ConfigureAwait(false);
                    break;
                case OutputFormat.Simple:
                    await output.WriteLineAsync($"{response.Deleted}").ConfigureAwait(false);
                    foreach (var kv in response.PrevKvs)
                    {
                        KeyValuePrinter.WriteSimple(output, kv);
                    }

                    break;
                default:
                    await output.WriteLineAsync($"{response.Deleted} deleted (revision {response.Header.Revision})").ConfigureAwait(false);
                    foreach (var kv in response.PrevKvs)
                    {
                        KeyValuePrinter.WriteReadable(output, kv);
                    }

                    break;
            }

            return 0;
        }, cancellationToken));
        return command;
    }
}
