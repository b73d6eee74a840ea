using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Etcdserverpb;
using Google.Protobuf;
using MiniKube.Etcd.Client;
using MiniKube.Grpc;

namespace MiniKube.Cli.Bench;

/// <summary>
/// A server started for a comparison run, as a child process on free loopback ports with a data
/// directory of its own: MiniKube's store member or a real etcd. Disposing kills it and deletes
/// the directory.
/// </summary>
public sealed class BenchServer : IAsyncDisposable
{
    private const int KeptOutputLines = 200;
    private static readonly HashSet<int> HandedPorts = [];
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private BenchServer(string kind, Uri clientUrl, string dataDir, Process process)
    {
        Kind = kind;
        ClientUrl = clientUrl;
        DataDir = dataDir;
        _process = process;
    }

    /// <summary>"minikube" or "etcd".</summary>
    public string Kind { get; }

    public Uri ClientUrl { get; }

    public string DataDir { get; }

    /// <summary>CPU time the server process has used so far (user and system, all threads).</summary>
    public TimeSpan CpuTime
    {
        get
        {
            _process.Refresh();
            return _process.TotalProcessorTime;
        }
    }

    /// <summary>The last lines the server printed, for when it fails.</summary>
    public string Output => string.Join('\n', _output);

    /// <summary>
    /// The store member next to this program (MiniKube.Store.dll, copied there because mkctl
    /// references the store), run by the same dotnet host that runs mkctl.
    /// </summary>
    public static Task<BenchServer> StartMiniKubeAsync(string dataDir, CancellationToken cancellationToken)
    {
        var assembly = Path.Combine(AppContext.BaseDirectory, "MiniKube.Store.dll");
        if (!File.Exists(assembly))
        {
            throw new FileNotFoundException("the store member is not next to mkctl", assembly);
        }

        var host = Environment.ProcessPath is { } path && Path.GetFileNameWithoutExtension(path) == "dotnet" ? path : "dotnet";
        var client = $"http://127.0.0.1:{FreePort()}";
        string[] arguments =
        [
            assembly, "--name", "bench", "--data-dir", dataDir,
            "--listen-client-urls", client, "--listen-peer-urls", $"http://127.0.0.1:{FreePort()}",
        ];
        return StartAsync("minikube", host, arguments, new Uri(client), dataDir, cancellationToken);
    }

    /// <summary>A real etcd with its defaults (fsync on), a single member.</summary>
    public static Task<BenchServer> StartEtcdAsync(string binary, string dataDir, CancellationToken cancellationToken)
    {
        var client = $"http://127.0.0.1:{FreePort()}";
        var peer = $"http://127.0.0.1:{FreePort()}";
        string[] arguments =
        [
            "--name", "bench", "--data-dir", dataDir,
            "--listen-client-urls", client, "--advertise-client-urls", client,
            "--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer,
            "--initial-cluster", $"bench={peer}", "--logger", "zap",
        ];
        return StartAsync("etcd", binary, arguments, new Uri(client), dataDir, cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync().ConfigureAwait(false);
            }
        }
        catch (InvalidOperationException)
        {
            // never started, or already reaped
        }

        _process.Dispose();
        try
        {
            Directory.Delete(DataDir, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }

    private static async Task<BenchServer> StartAsync(string kind, string fileName, string[] arguments, Uri clientUrl, string dataDir, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(dataDir);
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
        var server = new BenchServer(kind, clientUrl, dataDir, process);
        process.OutputDataReceived += (_, e) => server.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => server.OnLine(e.Data);
        try
        {
            process.Start();
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            await server.WaitUntilServingAsync(TimeSpan.FromSeconds(30), cancellationToken).ConfigureAwait(false);
            return server;
        }
        catch
        {
            await server.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Ready means a linearizable read succeeds: the server listens, has a leader and applies.
    /// (Polling is sturdier than waiting for a log line, whose wording differs between versions and loggers.)
    /// </summary>
    private async Task WaitUntilServingAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var channel = GrpcChannel.ForAddress(ClientUrl);
        var probe = new RangeRequest { Key = ByteString.CopyFromUtf8("mkctl-bench-ready") };
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"{Kind} exited (code {_process.ExitCode}) before serving:\n{Output}");
            }

            try
            {
                await channel.UnaryAsync(EtcdMethods.Range, probe, new CallOptions(Deadline: DateTime.UtcNow.AddSeconds(1), CancellationToken: cancellationToken)).ConfigureAwait(false);
                return;
            }
            catch (RpcException) when (!cancellationToken.IsCancellationRequested && Stopwatch.GetTimestamp() < deadline)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken).ConfigureAwait(false);
            }
            catch (RpcException e) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"{Kind} did not serve within {timeout.TotalSeconds:0}s ({StoreBenchmark.Describe(e)}):\n{Output}", e);
            }
        }
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        _output.Enqueue(line);
        while (_output.Count > KeptOutputLines && _output.TryDequeue(out _))
        {
        }
    }

    /// <summary>A loopback port nobody listens on right now, and not handed out before by this process.</summary>
    private static int FreePort()
    {
        lock (HandedPorts)
        {
            while (true)
            {
                using var listener = new TcpListener(IPAddress.Loopback, 0);
                listener.Start();
                var port = ((IPEndPoint)listener.LocalEndpoint).Port;
                if (HandedPorts.Add(port))
                {
                    return port;
                }
            }
        }
    }
}
