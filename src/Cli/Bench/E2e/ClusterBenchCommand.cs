using System.CommandLine;
using System.Text;
using System.Text.Json;
using MiniKube.Cli.Cluster;
using MiniKube.Etcd.Api;

namespace MiniKube.Cli.Bench.E2e;

/// <summary>
/// What every cluster benchmark's report carries (the machine, its load around the run, how long the cluster took to
/// come up and the run to end) and offers its command: whether it finished, and its two output formats.
/// </summary>
public abstract record ClusterBenchReport
{
    public required string Machine { get; init; }

    public required string LoadBefore { get; init; }

    public required string LoadAfter { get; init; }

    /// <summary>Seconds from starting the first store member to the cluster being ready for the run.</summary>
    public required double ClusterUpSeconds { get; init; }

    /// <summary>Seconds the measurement ran: until it completed, or until it gave up.</summary>
    public required double ElapsedSeconds { get; init; }

    public abstract bool Completed { get; }

    public abstract string Text();

    public abstract string Json();

    /// <summary>A text report's first lines: the machine and its load average before and after.</summary>
    protected StringBuilder TextHeader() =>
        new StringBuilder()
            .AppendLine(Machine)
            .AppendLine(ReportFormat.Invariant($"load average before {LoadBefore}, after {LoadAfter}"));

    /// <summary>A JSON report (indented): one object, the machine and its load first, then what <paramref name="fields"/> writes.</summary>
    protected string JsonReport(Action<Utf8JsonWriter> fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("machine", Machine);
            json.WriteString("loadBefore", LoadBefore);
            json.WriteString("loadAfter", LoadAfter);
            fields(json);
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }
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
        Func<TSettings, TextWriter, CancellationToken, Task<ClusterBenchReport>> run)
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
