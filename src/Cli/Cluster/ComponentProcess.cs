using System.Diagnostics;
using System.Globalization;
using System.Reflection;

namespace MiniKube.Cli.Cluster;

/// <summary>
/// Starts a component as a detached mkctl process and stops it again. The child runs in a session of its own
/// (<c>setsid</c>), its stdin from /dev/null and its output appended to its log, so it outlives the mkctl that
/// started it and a Ctrl+C in that terminal does not reach it. The session leader's pid is the component's pid
/// (sh execs setsid, which execs dotnet: no fork while the caller is not a group leader), and stopping signals its
/// whole process group, which takes the node agent's process-runtime containers down with it.
/// </summary>
public static class ComponentProcess
{
    private const string TieredCompilationVariable = "DOTNET_TieredCompilation";
    private const int EmptyCommandLineRetries = 40;
    private static readonly TimeSpan EmptyCommandLineWait = TimeSpan.FromMilliseconds(5);

    /// <summary>Starts <c>mkctl <paramref name="args"/></c>; the returned process is only good for its exit code.</summary>
    public static Process Start(IReadOnlyList<string> args, string logPath)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(logPath)!);
        var start = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("exec setsid \"$0\" \"$@\" >>\"$MKCTL_LOG\" 2>&1 </dev/null");
        foreach (var part in MkctlCommand())
        {
            start.ArgumentList.Add(part);
        }

        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["MKCTL_LOG"] = logPath;
        foreach (var (name, value) in RuntimeEnvironment(args[0], Environment.GetEnvironmentVariable))
        {
            start.Environment[name] = value;
        }

        File.AppendAllText(logPath, $"--- {DateTimeOffset.UtcNow:O} mkctl {string.Join(' ', args)}\n");
        return Process.Start(start) ?? throw new ClusterException($"could not start mkctl {args[0]}");
    }

    /// <summary>
    /// Runtime settings a component gets through its environment. mkctl runs its ReadyToRun code with tiering off
    /// (src/Cli/Cli.csproj), which suits components that live seconds to minutes; a store member lives as long as the
    /// cluster and its Raft loop is latency-bound, so it gets tiering back and its hot methods are recompiled at tier 1
    /// (3 members, put at 1 client: 325-423 -> 512-530 ops/s, p50 2.1-2.6 -> 1.5-1.6 ms). A value the caller's
    /// environment already sets is left to it.
    /// </summary>
    public static IEnumerable<(string Name, string Value)> RuntimeEnvironment(string command, Func<string, string?> callerEnvironment)
    {
        if (command == ClusterState.StoreKind && callerEnvironment(TieredCompilationVariable) is null)
        {
            yield return (TieredCompilationVariable, "1");
        }
    }

    /// <summary>True while <paramref name="pid"/> is a live (not zombie) mkctl process running <paramref name="kind"/>:
    /// a pid from cluster.json may since have been given to something else.</summary>
    public static bool IsRunning(int? pid, string kind)
    {
        if (pid is not { } p)
        {
            return false;
        }

        try
        {
            for (var attempt = 0; ; attempt++)
            {
                var stat = File.ReadAllText($"/proc/{p}/stat");
                var state = stat[(stat.LastIndexOf(')') + 2)..];
                if (state.StartsWith('Z') || state.StartsWith('X'))
                {
                    return false;
                }

                var cmdline = File.ReadAllText($"/proc/{p}/cmdline").Split('\0');
                if (cmdline.All(string.IsNullOrEmpty) && attempt < EmptyCommandLineRetries)
                {
                    // A component just started is exec'ing (sh, then setsid, then dotnet, one pid): between the
                    // old image's end and the new one's arguments the kernel shows an empty command line. Under
                    // load that lasts milliseconds (a bench once took a starting scheduler for dead). A kernel
                    // thread's stays empty: after the retries it is not ours.
                    Thread.Sleep(EmptyCommandLineWait);
                    continue;
                }

                return cmdline.Any(a => a.Contains("mkctl", StringComparison.Ordinal)) && cmdline.Contains(kind);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentOutOfRangeException)
        {
            return false;
        }
    }

    /// <summary>SIGTERM to the process group, then SIGKILL if it is still there after <paramref name="grace"/>.
    /// True if it had to be killed.</summary>
    public static async Task<bool> StopAsync(int pid, string kind, TimeSpan grace, CancellationToken cancellationToken)
    {
        Signal("TERM", pid);
        var deadline = DateTime.UtcNow + grace;
        while (DateTime.UtcNow < deadline)
        {
            if (!IsRunning(pid, kind))
            {
                return false;
            }

            await Task.Delay(100, cancellationToken).ConfigureAwait(false);
        }

        Signal("KILL", pid);
        for (var i = 0; i < 50 && IsRunning(pid, kind); i++)
        {
            await Task.Delay(100, cancellationToken).ConfigureAwait(false);
        }

        return true;
    }

    /// <summary>SIGKILL to the process group at once, as <c>kill -9</c>: no shutdown code runs (a leader releases no
    /// lease, a store member flushes nothing), as when a machine dies.</summary>
    public static void Kill(int pid) => Signal("KILL", pid);

    /// <summary>The last lines of a log, for telling why a component did not come up.</summary>
    public static string Tail(string logPath, int lines)
    {
        if (!File.Exists(logPath))
        {
            return "";
        }

        var all = File.ReadAllLines(logPath);
        return string.Join('\n', all.Skip(Math.Max(0, all.Length - lines)));
    }

    /// <summary>How to run this same mkctl: the apphost, or <c>dotnet mkctl.dll</c>; from a test host, the mkctl.dll
    /// that sits next to it.</summary>
    public static IReadOnlyList<string> MkctlCommand()
    {
        var entry = Assembly.GetEntryAssembly();
        var dll = entry?.GetName().Name == "mkctl" ? entry.Location : Path.Combine(AppContext.BaseDirectory, "mkctl.dll");
        if (!File.Exists(dll))
        {
            throw new ClusterException($"cannot find mkctl.dll (looked at {dll})");
        }

        var dotnet = Environment.ProcessPath is { } host && Path.GetFileNameWithoutExtension(host) == "dotnet" ? host : "dotnet";
        return [dotnet, dll];
    }

    private static void Signal(string signal, int pid)
    {
        var kill = new ProcessStartInfo("kill") { UseShellExecute = false, RedirectStandardError = true };
        kill.ArgumentList.Add("-" + signal);
        kill.ArgumentList.Add("--");
        kill.ArgumentList.Add("-" + pid.ToString(CultureInfo.InvariantCulture));
        using var process = Process.Start(kill);
        process?.WaitForExit();
    }
}
