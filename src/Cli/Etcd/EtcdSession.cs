using System.CommandLine;
using MiniKube.Cli.Etcd.Output;
using MiniKube.Etcd.Client;

namespace MiniKube.Cli.Etcd;

/// <summary>
/// One run of an <c>mkctl etcd</c> command: its client, where it prints, and the uniform
/// handling of failures, which read like etcdctl's ("Error: etcdserver: …") and exit non-zero.
/// </summary>
public sealed class EtcdSession
{
    public const int ExitError = 1;
    public const int ExitBadConnection = 2;
    public const int ExitInvalidInput = 3;

    private EtcdSession(EtcdClient client, ParseResult parse, EtcdGlobalOptions options)
    {
        Client = client;
        Parse = parse;
        Output = parse.InvocationConfiguration.Output;
        Error = parse.InvocationConfiguration.Error;
        Format = options.GetOutput(parse);
        CommandTimeout = options.GetCommandTimeout(parse);
    }

    public EtcdClient Client { get; }

    public ParseResult Parse { get; }

    public TextWriter Output { get; }

    public TextWriter Error { get; }

    /// <summary>The format asked for with -w/-o, or null for the command's default.</summary>
    public OutputFormat? Format { get; }

    public TimeSpan CommandTimeout { get; }

    /// <summary>Runs <paramref name="body"/> with a client for the command line's endpoints; returns the exit code.</summary>
    public static async Task<int> RunAsync(ParseResult parse, EtcdGlobalOptions options, Func<EtcdSession, CancellationToken, Task<int>> body, CancellationToken cancellationToken)
    {
        var error = parse.InvocationConfiguration.Error;
        try
        {
            await using var client = new EtcdClient(options.ClientOptions(parse));
            return await body(new EtcdSession(client, parse, options), cancellationToken).ConfigureAwait(false);
        }
        catch (EtcdException e) when (e.IsUnavailable || e.IsDeadlineExceeded)
        {
            var endpoints = string.Join(",", options.ClientOptions(parse).Endpoints.Select(u => u.GetLeftPart(UriPartial.Authority)));
            await error.WriteLineAsync($"Error: {e.Message}").ConfigureAwait(false);
            await error.WriteLineAsync(e.IsUnavailable
                ? $"(no member answered at {endpoints}; is a store running? start one with: ./mkctl store)"
                : $"(no answer from {endpoints} within --command-timeout {options.GetCommandTimeout(parse).TotalSeconds:0.###}s)").ConfigureAwait(false);
            return ExitBadConnection;
        }
        catch (EtcdException e)
        {
            await error.WriteLineAsync($"Error: {e.Message}").ConfigureAwait(false);
            return ExitError;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return 0; // Ctrl+C ends a watch or a keep-alive: that is how they stop
        }
        catch (Exception e) when (e is InvalidInputException or ArgumentException)
        {
            await error.WriteLineAsync($"Error: {e.Message}").ConfigureAwait(false);
            return ExitInvalidInput;
        }
    }

    /// <summary>The format to print in: the one asked for if the command supports it, else an error.</summary>
    public OutputFormat FormatOr(OutputFormat fallback, params OutputFormat[] supported)
    {
        var format = Format ?? fallback;
        return format == fallback || supported.Contains(format)
            ? format
            : throw new InvalidInputException($"this command does not print {format.ToString().ToLowerInvariant()} (it prints {string.Join(", ", supported.Prepend(fallback).Select(f => f.ToString().ToLowerInvariant()))})");
    }
}
