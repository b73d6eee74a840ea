using System.CommandLine;
using Google.Protobuf;
using MiniKube.Cli.Etcd.Output;
using MiniKube.Etcd.Client;

namespace MiniKube.Cli.Etcd;

/// <summary><c>mkctl etcd put KEY [VALUE]</c>: writes a key; the value comes from stdin when not given.</summary>
public static class PutCommand
{
    public static Command Create(EtcdGlobalOptions global, Func<Stream> standardInput)
    {
        var key = new Argument<string>("key") { Description = "The key to write." };
        var value = new Argument<string?>("value") { Description = "The value (read from stdin, verbatim, when omitted).", Arity = ArgumentArity.ZeroOrOne };
        var lease = new Option<string?>("--lease") { Description = "Lease ID (in hexadecimal) to attach to the key." };
        var prevKv = new Option<bool>("--prev-kv") { Description = "Return the previous key-value pair before modification." };
        var ignoreValue = new Option<bool>("--ignore-value") { Description = "Updates the key using its current value." };
        var ignoreLease = new Option<bool>("--ignore-lease") { Description = "Updates the key using its current lease." };

        var command = new Command("put", "Puts the given key into the store.") { key, value, lease, prevKv, ignoreValue, ignoreLease };
        command.SetAction((parse, cancellationToken) => EtcdSession.RunAsync(parse, global, async (session, ct) =>
        {
            var format = session.FormatOr(OutputFormat.Readable, OutputFormat.Simple, OutputFormat.Json);
            var options = new PutOptions
            {
                Lease = parse.GetValue(lease) is { } id ? Keys.LeaseId(id) : 0,
                PrevKv = parse.GetValue(prevKv),
                IgnoreValue = parse.GetValue(ignoreValue),
                IgnoreLease = parse.GetValue(ignoreLease),
            };
            var bytes = parse.GetValue(value) is { } text ? ByteString.CopyFromUtf8(text)
                : options.IgnoreValue ? ByteString.Empty
                : await ReadAllAsync(standardInput(), ct).ConfigureAwait(false);

            var response = await session.Client.PutAsync(Keys.Utf8(parse.GetValue(key)!), bytes, options, ct).ConfigureAwait(false);
            var output = session.Output;
            switch (format)
            {
                case OutputFormat.Json:
                    await output.WriteLineAsync(GoJson.Serialize(response)).ConfigureAwait(false);
                    break;
                case OutputFormat.Simple:
                    await output.WriteLineAsync("OK").ConfigureAwait(false);
                    if (response.PrevKv is { } simplePrevious)
                    {
                        KeyValuePrinter.WriteSimple(output, simplePrevious);
                    }

                    break;
                default:
                    await output.WriteLineAsync($"OK (revision {response.Header.Revision})").ConfigureAwait(false);
                    if (response.PrevKv is { } previous)
                    {
                        await output.WriteLineAsync("was:").ConfigureAwait(false);
                        KeyValuePrinter.WriteReadable(output, previous);
                    }
                    else if (options.PrevKv)
                    {
                        await output.WriteLineAsync("(the key is new)").ConfigureAwait(false);
                    }

                    break;
            }

            return 0;
        }, cancellationToken));
        return command;
    }

    private static async Task<ByteString> ReadAllAsync(Stream input, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        await input.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
        return buffer.Length > 0
            ? ByteString.CopyFrom(buffer.ToArray())
            : throw new InvalidInputException("put needs a value: give it after the key, or on stdin");
    }
}
