using System.ComponentModel;
using System.Diagnostics;
using System.Runtime.InteropServices;

namespace MiniKube.NodeAgent.Runtime;

/// <summary>
/// Runs a container's command and args as a child process with the container's environment, in a working directory
/// of its own (the container's workingDir when it exists), with stdout and stderr captured line by line to its log.
/// A container without a command has no image entrypoint to run here, so it runs as a simulated one.
/// </summary>
public sealed partial class ProcessRuntime(string rootDirectory, TimeProvider time) : IContainerRuntime
{
    private const int SigTerm = 15;
    private static readonly TimeSpan OutputDrainLimit = TimeSpan.FromSeconds(2);

    private readonly SimulatedRuntime _simulated = new();

    public string Name => "process";

    public IRunningContainer Start(ContainerStartRequest request)
    {
        var c = request.Container;
        var argv = new List<string>([.. c.Command ?? [], .. c.Args ?? []]);
        if (argv.Count == 0)
        {
            return _simulated.Start(request);
        }

        var workDir = c.WorkingDir is { Length: > 0 } wd && Directory.Exists(wd)
            ? wd
            : Directory.CreateDirectory(Path.Combine(rootDirectory, "work", $"{request.PodNamespace}_{request.PodName}_{c.Name}")).FullName;
        var info = new ProcessStartInfo(argv[0])
        {
            WorkingDirectory = workDir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = false,
            UseShellExecute = false,
        };
        foreach (var arg in argv.Skip(1))
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment.Clear();
        info.Environment["PATH"] = Environment.GetEnvironmentVariable("PATH") ?? "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
        info.Environment["HOSTNAME"] = request.PodName;
        info.Environment["HOME"] = workDir;
        foreach (var (name, value) in request.Environment)
        {
            info.Environment[name] = value;
        }

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var container = new ProcessContainer(process, time);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                request.Log.Write("stdout", e.Data);
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                request.Log.Write("stderr", e.Data);
            }
        };
        process.Exited += (_, _) => container.OnExited();
        try
        {
            process.Start();
        }
        catch (Win32Exception e)
        {
            process.Dispose();
            // The message of runc's exec failure, which the kubelet shows as the StartError's message.
            throw new ContainerStartException($"failed to create containerd task: exec: \"{argv[0]}\": {e.Message}", e);
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return container;
    }

    /// <summary>The processes below <paramref name="pid"/>, from /proc's parent links (empty where there is no /proc).</summary>
    private static List<int> Descendants(int pid)
    {
        var parents = new Dictionary<int, List<int>>();
        try
        {
            foreach (var dir in Directory.EnumerateDirectories("/proc"))
            {
                if (!int.TryParse(Path.GetFileName(dir), out var child))
                {
                    continue;
                }

                try
                {
                    var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                    // "pid (comm) state ppid …": comm may hold spaces and parentheses, so read after the last ')'.
                    var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                    if (fields.Length > 1 && int.TryParse(fields[1], out var parent))
                    {
                        if (!parents.TryGetValue(parent, out var children))
                        {
                            parents[parent] = children = [];
                        }

                        children.Add(child);
                    }
                }
                catch (IOException)
                {
                    // The process ended while we looked.
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }

        var result = new List<int>();
        var pending = new Queue<int>([pid]);
        while (pending.TryDequeue(out var next))
        {
            foreach (var child in parents.GetValueOrDefault(next) ?? [])
            {
                result.Add(child);
                pending.Enqueue(child);
            }
        }

        return result;
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);

    private sealed class ProcessContainer(Process process, TimeProvider time) : IRunningContainer
    {
        private readonly TaskCompletionSource<int> _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private ITimer? _killTimer;

        public Task<int> Exited => _exited.Task;

        public void OnExited() => _ = Task.Run(CompleteAsync);

        /// <summary>
        /// Reports the exit once the output readers have drained the pipes (disposing sooner loses the last lines of a
        /// short-lived command), but not later than a bound: a grandchild may hold the pipes open.
        /// </summary>
        private async Task CompleteAsync()
        {
            _killTimer?.Dispose();
            try
            {
                await process.WaitForExitAsync().WaitAsync(OutputDrainLimit).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
            }

            int code;
            try
            {
                code = process.ExitCode;
            }
            catch (InvalidOperationException)
            {
                code = 137;
            }

            process.Dispose();
            _exited.TrySetResult(code);
        }

        public void Stop(TimeSpan gracePeriod)
        {
            if (_exited.Task.IsCompleted)
            {
                return;
            }

            int pid;
            try
            {
                pid = process.Id;
            }
            catch (InvalidOperationException)
            {
                return;
            }

            // The whole tree gets SIGTERM, as a container's processes do when its init is signalled and the cgroup
            // goes: sh -c 'echo; sleep 30' would otherwise leave the sleep holding the output pipes.
            foreach (var child in Descendants(pid))
            {
                _ = Kill(child, SigTerm);
            }

            _ = Kill(pid, SigTerm);

            _killTimer = time.CreateTimer(_ => KillNow(), null, gracePeriod, Timeout.InfiniteTimeSpan);
        }

        private void KillNow()
        {
            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (Exception e) when (e is InvalidOperationException or Win32Exception)
            {
                // Already gone.
            }
        }
    }
}
