using System.CommandLine;
using MiniKube.Cli.Cluster;
using MiniKube.Etcd.Api;

namespace MiniKube.Cli.Bench.E2e;

/// <summary>What a cluster benchmark's report offers its command: whether it finished, and its two output formats.</summary>
public interface IClusterBenchReport
{
    bool Completed { get; }

    string Text();

    string Json();
}

/// <summary>
/// The flags and the action the cluster benchmarks (<c>bench e2e</c>, <c>bench scheduler</c>) share: --dir, --keep,
/// --timeout and --output, settings validated before anything starts, the report on stdout and progress on stderr.
/// </summary>
public sealed class ClusterBenchCommand
{
    private readonly Option<string?> dir = new("--dir") { Description = "The cluster's directory (default: a new temporary directory, removed afterwards)." };
    private readonly Option<bool> keep = new("--keep") { Description = "Leave the cluster running afterwards (stop it with mkctl down --dir)." };
    private readonly Option<string> timeout;
    private readonly Option<string> output = new("--output", "-o") { Description = "Output format: text or json.", DefaultValueFactory = _ => "text" };

    public ClusterBenchCommand(string timeoutDescription, string defaultTimeout)
    {
        timeout = new Option<string>("--timeout") { Description = timeoutDescription, DefaultValueFactory = _ => defaultTimeout };
        output.AcceptOnlyFromAmong("text", "json");
    }

    public string? Dir(ParseResult parse) => parse.GetValue(dir);

    public bool Keep(ParseResult parse) => parse.GetValue(keep);

    /// <summary>
    /// Adds the shared options after <paramref name="command"/>'s own and sets its action: settings from the flags (a
    /// bad --timeout is an error), validation, the run.
    /// </summary>
    /// <param name="settingsFromFlags">Builds the settings from the parse and the --timeout.</param>
    public void Complete<TSettings>(Command command, Func<ParseResult, TimeSpan, TSettings> settingsFromFlags, Func<TSettings, string?> validate,
        Func<TSettings, TextWriter, CancellationToken, Task<IClusterBenchReport>> run)
    {
        foreach (var option in (Option[])[dir, keep, timeout, output])
        {
            command.Options.Add(option);
        }

        command.SetAction(async (parse, cancellationToken) =>
        {
            var stdout = parse.InvocationConfiguration.Output;
            var stderr = parse.InvocationConfiguration.Error;
            TSettings settings;
            try
            {
                settings = settingsFromFlags(parse, GoDuration.Parse(parse.GetValue(timeout)!));
            }
            catch (FormatException e)
            {
                await stderr.WriteLineAsync($"Error: --timeout: {e.Message}").ConfigureAwait(false);
                return 1;
            }

            if (validate(settings) is { } problem)
            {
                await stderr.WriteLineAsync($"Error: {problem}").ConfigureAwait(false);
                return 1;
            }

            try
            {
                var report = await run(settings, stderr, cancellationToken).ConfigureAwait(false);
                await stdout.WriteAsync(parse.GetValue(output) == "json" ? report.Json() + "\n" : report.Text()).ConfigureAwait(false);
                return report.Completed ? 0 : 1;
            }
            catch (ClusterException e)
            {
                await stderr.WriteLineAsync($"error: {e.Message}").ConfigureAwait(false);
                return 1;
            }
        });
    }
}
