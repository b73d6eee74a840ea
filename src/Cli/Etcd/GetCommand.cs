using System.CommandLine;
using MiniKube.Cli.Etcd.Output;
using MiniKube.Etcd.Client;

namespace MiniKube.Cli.Etcd;

/// <summary><c>mkctl etcd get KEY [RANGE_END]</c>: reads keys, by default with their revisions and values laid out to read.</summary>
public static class GetCommand
{
    public static Command Create(EtcdGlobalOptions global)
    {
        var key = new Argument<string>("key") { Description = "The key, or the first key of the range." };
        var rangeEnd = new Argument<string?>("range-end") { Description = "The end of the range [key, range-end).", Arity = ArgumentArity.ZeroOrOne };
        var prefix = new Option<bool>("--prefix") { Description = "Get keys with matching prefix." };
        var fromKey = new Option<bool>("--from-key") { Description = "Get keys that are greater than or equal to the given key using byte compare." };
        var keysOnly = new Option<bool>("--keys-only") { Description = "Get only the keys, one per line." };
        var countOnly = new Option<bool>("--count-only") { Description = "Get only the count." };
        var revision = new Option<long>("--rev") { Description = "Read the keys as they were at this revision." };
        var limit = new Option<long>("--limit") { Description = "Maximum number of results." };
        var sortBy = new Option<string?>("--sort-by") { Description = "Sort target: KEY, CREATE, MODIFY, VALUE or VERSION." };
        sortBy.AcceptOnlyFromAmong(StringComparer.OrdinalIgnoreCase, "KEY", "CREATE", "MODIFY", "VALUE", "VERSION");
        var order = new Option<string?>("--order") { Description = "Order of results: ASCEND or DESCEND (ASCEND by default)." };
        order.AcceptOnlyFromAmong(StringComparer.OrdinalIgnoreCase, "ASCEND", "DESCEND");

        var command = new Command("get", "Gets the key or a range of keys.") { key, rangeEnd, prefix, fromKey, keysOnly, countOnly, revision, limit, sortBy, order };
        command.SetAction((parse, cancellationToken) => EtcdSession.RunAsync(parse, global, async (session, ct) =>
        {
            var format = session.FormatOr(OutputFormat.Readable, OutputFormat.Simple, OutputFormat.Json, OutputFormat.Table);
            var (target, direction) = Sorting(parse.GetValue(sortBy), parse.GetValue(order));
            var isPrefix = parse.GetValue(prefix);
            var isFromKey = parse.GetValue(fromKey);
            var options = new GetOptions
            {
                RangeEnd = Keys.RangeEnd(parse.GetValue(rangeEnd), isPrefix, isFromKey),
                Prefix = isPrefix,
                FromKey = isFromKey,
                Revision = parse.GetValue(revision),
                Limit = parse.GetValue(limit),
                SortBy = target,
                Order = direction,
                KeysOnly = parse.GetValue(keysOnly),
                CountOnly = parse.GetValue(countOnly),
            };
            var response = await session.Client.GetAsync(parse.GetValue(key)!, options, ct).ConfigureAwait(false);
            var output = session.Output;
            if (format == OutputFormat.Json)
            {
                await output.WriteLineAsync(GoJson.Serialize(response)).ConfigureAwait(false);
                return 0;
            }

            if (options.CountOnly)
            {
                await output.WriteLineAsync(format == OutputFormat.Readable ? Footer(response, options) : $"{response.Count}").ConfigureAwait(false);
                return 0;
            }

            if (options.KeysOnly && format != OutputFormat.Table)
            {
                foreach (var kv in response.Kvs)
                {
                    await output.WriteLineAsync(format == OutputFormat.Readable ? ValueText.Key(kv.Key) : kv.Key.ToStringUtf8()).ConfigureAwait(false);
                }

                return 0;
            }

            switch (format)
            {
                case OutputFormat.Simple:
                    foreach (var kv in response.Kvs)
                    {
                        KeyValuePrinter.WriteSimple(output, kv);
                    }

                    break;
                case OutputFormat.Table:
                    await output.WriteLineAsync(KeyValuePrinter.Table(response.Kvs).ToString()).ConfigureAwait(false);
                    await output.WriteLineAsync(Footer(response, options)).ConfigureAwait(false);
                    break;
                default:
                    foreach (var kv in response.Kvs)
                    {
                        KeyValuePrinter.WriteReadable(output, kv);
                        await output.WriteLineAsync().ConfigureAwait(false);
                    }

                    await output.WriteLineAsync(Footer(response, options)).ConfigureAwait(false);
                    break;
            }

            return 0;
        }, cancellationToken));
        return command;
    }

    /// <summary>"revision 12, 2 keys", saying also which revision was read and whether a limit cut the list.</summary>
    private static string Footer(Etcdserverpb.RangeResponse response, GetOptions options)
    {
        var at = options.Revision > 0 ? $" (read at revision {options.Revision})" : "";
        var count = options.CountOnly ? response.Count : response.Kvs.Count;
        var keys = response.More ? $"{count} of {response.Count} keys (more beyond --limit {options.Limit})" : count == 1 ? "1 key" : $"{count} keys";
        return $"revision {response.Header.Revision}{at}, {keys}";
    }

    /// <summary>etcdctl's defaults: --order alone sorts by key, --sort-by alone sorts ascending.</summary>
    private static (SortTarget, SortOrder) Sorting(string? sortBy, string? order)
    {
        var target = sortBy?.ToUpperInvariant() switch
        {
            "CREATE" => SortTarget.CreateRevision,
            "MODIFY" => SortTarget.ModRevision,
            "VALUE" => SortTarget.Value,
            "VERSION" => SortTarget.Version,
            _ => SortTarget.Key,
        };
        var direction = order?.ToUpperInvariant() switch
        {
            "DESCEND" => SortOrder.Descend,
            "ASCEND" => SortOrder.Ascend,
            _ => sortBy is null ? SortOrder.None : SortOrder.Ascend,
        };
        return (target, direction);
    }
}
