using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.InteropServices;

namespace MiniKube.Testing;

/// <summary>
/// A long-running server started by a test (a store member, a real etcd): its output is kept,
/// readiness is a line it prints, and it can be stopped gracefully, killed with SIGKILL, or
/// paused and resumed with SIGSTOP/SIGCONT.
/// </summary>
public sealed partial class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly string _readyMarker;

    private ServerProcess(Process process, string readyMarker)
    {
        _process = process;
        _readyMarker = readyMarker;
        process.OutputDataReceived += (_, e) => OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => OnLine(e.Data);
        process.EnableRaisingEvents = true;
        process.Exited += (_, _) =>
        {
            // Exited can be raised before the last lines of its output have been read (a member that
            // refuses to start prints one line and exits at once): wait for the end of its streams first.
            process.WaitForExit(TimeSpan.FromSeconds(5));
            _ready.TrySetException(new InvalidOperationException($"the server exited before it was ready:\n{Output}"));
        };
    }

    public int ProcessId => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>Everything the server printed so far (both streams, interleaved).</summary>
    public string Output => string.Join('\n', _output);

    public static async Task<ServerProcess> StartAsync(string fileName, IEnumerable<string> arguments, string readyMarker, TimeSpan? timeout = null)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        var process = new Process { StartInfo = info };
        var server = new ServerProcess(process, readyMarker);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await server._ready.Task.WaitAsync(timeout ?? TimeSpan.FromSeconds(30)).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            await server.DisposeAsync().ConfigureAwait(false);
            throw new TimeoutException($"{fileName} did not print \"{readyMarker}\" in time:\n{server.Output}");
        }

        return server;
    }

    /// <summary>kill -9: no chance to flush or clean up.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync().ConfigureAwait(false);
        }
    }

    /// <summary>SIGTERM, then SIGKILL if it has not exited within <paramref name="grace"/>.</summary>
    public async Task StopAsync(TimeSpan? grace = null)
    {
        if (_process.HasExited)
        {
            return;
        }

        _ = Signal(Sigterm);
        using var cts = new CancellationTokenSource(grace ?? TimeSpan.FromSeconds(10));
        try
        {
            await _process.WaitForExitAsync(cts.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            await KillAsync().ConfigureAwait(false);
        }
    }

    public void Pause() => Signal(Sigstop);

    public void Resume() => Signal(Sigcont);

    public async ValueTask DisposeAsync()
    {
        try
        {
            Resume();
            await StopAsync().ConfigureAwait(false);
        }
        catch (InvalidOperationException)
        {
            // never started or already reaped
        }

        _process.Dispose();
    }

    private const int Sigterm = 15;
    private const int Sigstop = 19;
    private const int Sigcont = 18;

    private int Signal(int signal) => _process.HasExited ? 0 : NativeMethods.Kill(_process.Id, signal);

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        _output.Enqueue(line);
        if (line.Contains(_readyMarker, StringComparison.Ordinal))
        {
            _ready.TrySetResult();
        }
    }

    private static partial class NativeMethods
    {
        [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
        public static partial int Kill(int pid, int signal);
    }
}
