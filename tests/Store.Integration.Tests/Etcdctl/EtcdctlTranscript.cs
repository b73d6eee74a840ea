using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using MiniKube.Testing;

namespace MiniKube.Store.Integration.Tests.Etcdctl;

/// <summary>
/// The real etcdctl 3.4 run against one server, every command and its output written down, so
/// that the transcripts of the same commands against a real etcd and against the store can be
/// compared. What legitimately differs between two servers (their URLs, cluster and member IDs,
/// raft terms, lease IDs, hashes, timings) is replaced by placeholders.
/// </summary>
public sealed partial class EtcdctlTranscript(IEtcdServer server)
{
    public const string Binary = "/usr/bin/etcdctl";

    private static readonly Dictionary<string, string> Environment = new() { ["ETCDCTL_API"] = "3" };
    private readonly StringBuilder _log = new();
    private readonly List<(string Raw, string Placeholder)> _names = [];
    private readonly List<(Regex Pattern, string Replacement)> _masks = [];

    public IEtcdServer Server => server;

    public string Endpoint => server.ClientUrl.ToString().TrimEnd('/');

    /// <summary>Runs etcdctl with <paramref name="arguments"/> (and the server's endpoint) and records the command and its output.</summary>
    public Task<ProcessResult> RunAsync(params string[] arguments) => RunWithInputAsync(null, arguments);

    public async Task<ProcessResult> RunWithInputAsync(string? input, params string[] arguments)
    {
        var result = await RunUnrecordedAsync(input, arguments);
        Record(arguments, input, result);
        return result;
    }

    /// <summary>Runs etcdctl without writing the command into the transcript, for output that is compared otherwise.</summary>
    public Task<ProcessResult> RunUnrecordedAsync(params string[] arguments) => RunUnrecordedAsync(null, arguments);

    private Task<ProcessResult> RunUnrecordedAsync(string? input, string[] arguments) =>
        ProcessRunner.RunAsync(Binary, [$"--endpoints={Endpoint}", .. arguments], input, TimeSpan.FromSeconds(30), Environment);

    /// <summary>
    /// Runs etcdctl watch with <paramref name="arguments"/> while <paramref name="whileWatching"/>
    /// runs, until its output contains <paramref name="last"/> (then a little longer, so that any
    /// duplicate would show) or it exits by itself, and records what it printed.
    /// </summary>
    public async Task<string> WatchAsync(string[] arguments, string last, Func<Task> whileWatching)
    {
        var info = new ProcessStartInfo(Binary) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in (string[])[$"--endpoints={Endpoint}", "watch", .. arguments])
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment["ETCDCTL_API"] = "3";
        using var process = Process.Start(info) ?? throw new InvalidOperationException("could not start etcdctl");
        var output = new StringBuilder();
        var errors = new StringBuilder();
        var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                return;
            }

            lock (output)
            {
                output.AppendLine(e.Data);
                if (output.ToString().Contains(last, StringComparison.Ordinal))
                {
                    seen.TrySetResult();
                }
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            lock (errors)
            {
                errors.AppendLine(e.Data);
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var exited = false;
        try
        {
            await whileWatching();
            exited = await Task.WhenAny(seen.Task, process.WaitForExitAsync()).WaitAsync(TimeSpan.FromSeconds(15)) != seen.Task;
            if (!exited)
            {
                await Task.Delay(300);
            }
        }
        catch (TimeoutException)
        {
            lock (output)
            {
                throw new TimeoutException($"etcdctl watch {string.Join(' ', arguments)} did not print \"{last}\" against {server.Kind}; it printed:\n{output}");
            }
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        string printed;
        lock (output)
        {
            printed = output.ToString();
        }

        _log.Append("$ etcdctl watch ").AppendJoin(' ', arguments).AppendLine(exited ? "" : " (killed once it printed everything)").Append(printed);
        if (exited)
        {
            lock (errors)
            {
                _log.Append("[stderr] ").Append(errors).Append("[exit ").Append(process.ExitCode).AppendLine("]");
            }
        }

        return printed;
    }

    /// <summary>Replaces <paramref name="raw"/> (a lease ID, a file name) with <paramref name="placeholder"/> throughout the transcript.</summary>
    public void Name(string raw, string placeholder) => _names.Add((raw, placeholder));

    /// <summary>Replaces every match of <paramref name="pattern"/> (a size, a timing) with <paramref name="replacement"/> throughout the transcript.</summary>
    public void Mask(string pattern, string replacement) => _masks.Add((new Regex(pattern, RegexOptions.Multiline), replacement));

    /// <summary>
    /// The lease ID etcdctl printed for "lease grant" ("lease 0694d… granted with TTL(60s)"), in
    /// the hex form its other commands take, named in the transcript (hex and, as JSON prints it, decimal).
    /// </summary>
    public string GrantedLease(ProcessResult grant, string placeholder)
    {
        var hex = LeaseGranted().Match(grant.StandardOutput);
        Assert.True(hex.Success, $"no lease in: {grant}");
        Name(hex.Groups[1].Value, placeholder);
        Name(Convert.ToInt64(hex.Groups[1].Value, 16).ToString(System.Globalization.CultureInfo.InvariantCulture), placeholder);
        return hex.Groups[1].Value;
    }

    /// <summary>The transcript with what legitimately differs between servers replaced.</summary>
    public override string ToString()
    {
        var text = _log.ToString().Replace(Endpoint, "<endpoint>", StringComparison.Ordinal);
        foreach (var (raw, placeholder) in _names)
        {
            text = text.Replace(raw, placeholder, StringComparison.Ordinal);
        }

        foreach (var (pattern, replacement) in _masks)
        {
            text = pattern.Replace(text, replacement);
        }

        text = HeaderIds().Replace(text, "\"$1\":<$1>");
        text = LogTimestamp().Replace(text, "\"ts\":\"<ts>\"");
        text = LogTarget().Replace(text, "\"target\":\"<target>\"");
        text = LogCaller().Replace(text, "\"caller\":\"<caller>\"");
        return text;
    }

    private void Record(string[] arguments, string? input, ProcessResult result)
    {
        _log.Append("$ etcdctl ").AppendJoin(' ', arguments).AppendLine();
        if (input is not null)
        {
            _log.Append("< ").AppendLine(input.ReplaceLineEndings("\n< "));
        }

        _log.Append(result.StandardOutput);
        if (result.StandardError.Length > 0)
        {
            _log.Append("[stderr] ").Append(result.StandardError);
        }

        _log.Append("[exit ").Append(result.ExitCode).AppendLine("]");
    }

    [GeneratedRegex("lease ([0-9a-f]+) granted")]
    private static partial Regex LeaseGranted();

    [GeneratedRegex("\"(cluster_id|member_id|raft_term)\":[0-9]+")]
    private static partial Regex HeaderIds();

    [GeneratedRegex("\"ts\":\"[^\"]*\"")]
    private static partial Regex LogTimestamp();

    [GeneratedRegex("\"target\":\"[^\"]*\"")]
    private static partial Regex LogTarget();

    [GeneratedRegex("\"caller\":\"[^\"]*\"")]
    private static partial Regex LogCaller();
}
