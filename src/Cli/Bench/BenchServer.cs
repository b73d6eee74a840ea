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
/// directory of its own: a member of MiniKube's store or of a real etcd (see <see cref="BenchCluster"/>).
/// Disposing kills it and deletes the directory.
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

    /// <summary>Resident memory of the server process now (VmRSS), in bytes.</summary>
    public long ResidentBytes
    {
        get
        {
            _process.Refresh();
            return _process.WorkingSet64;
        }
    }

    /// <summary>
    /// Starts one member of a MiniKube store cluster: the store member next to this program
    /// (MiniKube.Store.dll, copied there because mkctl references the store), run by the same
    /// dotnet host that runs mkctl. Returns once the process runs; see <see cref="WaitUntilServingAsync"/>.
    /// </summary>
    public static BenchServer LaunchMiniKube(BenchMember member, string initialCluster, string dataDir)
    {
        ArgumentNullException.ThrowIfNull(member);
        var assembly = Path.Combine(AppContext.BaseDirectory, "MiniKube.Store.dll");
        if (!File.Exists(assembly))
        {
            throw new FileNotFoundException("the store member is not next to mkctl", assembly);
        }

        var host = Environment.ProcessPath is { } path && Path.GetFileNameWithoutExtension(path) == "dotnet" ? path : "dotnet";
        string[] arguments =
        [
            assembly, .. member.Arguments(initialCluster, dataDir),
        ];
        return Launch("minikube", host, arguments, member.ClientUrl, dataDir);
    }

    /// <summary>Starts one member of a real etcd cluster, with etcd's defaults (fsync on) except the cluster flags.</summary>
    public static BenchServer LaunchEtcd(string binary, BenchMember member, string initialCluster, string dataDir)
    {
        ArgumentNullException.ThrowIfNull(member);
        string[] arguments = [.. member.Arguments(initialCluster, dataDir), "--logger", "zap"];
        return Launch("etcd", binary, arguments, member.ClientUrl, dataDir);
    }

    /// <summary>
    /// A member on two fresh loopback ports (client and peer), with the flags etcd and MiniKube's
    /// store share: name, URLs, the initial cluster, and the Raft timing (etcd's defaults, written
    /// out so that both kinds are certain to run with the same).
    /// </summary>
    public sealed record BenchMember(string Name, Uri ClientUrl, Uri PeerUrl)
    {
        public const string ClusterToken = "mkctl-bench";

        public static BenchMember Create(string name) =>
            new(name, new Uri($"http://127.0.0.1:{FreePort()}"), new Uri($"http://127.0.0.1:{FreePort()}"));

        public string[] Arguments(string initialCluster, string dataDir) =>
        [
            "--name", Name, "--data-dir", dataDir,
            "--listen-client-urls", Text(ClientUrl), "--advertise-client-urls", Text(ClientUrl),
            "--listen-peer-urls", Text(PeerUrl), "--initial-advertise-peer-urls", Text(PeerUrl),
            "--initial-cluster", initialCluster, "--initial-cluster-state", "new", "--initial-cluster-token", ClusterToken,
            "--heartbeat-interval", "100", "--election-timeout", "1000",
        ];

        /// <summary>"name=peerURL" for --initial-cluster.</summary>
        public string ClusterEntry => $"{Name}={Text(PeerUrl)}";

        private static string Text(Uri url) => url.GetLeftPart(UriPartial.Authority);
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

    private static BenchServer Launch(string kind, string fileName, string[] arguments, Uri clientUrl, string dataDir)
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
        }
        catch
        {
            process.Dispose();
            throw;
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return server;
    }

    /// <summary>
    /// Ready means a linearizable read succeeds: the server listens, has a leader and applies.
    /// (Polling is sturdier than waiting for a log line, whose wording differs between versions and loggers.)
    /// </summary>
    public async Task WaitUntilServingAsync(TimeSpan timeout, CancellationToken cancellationToken)
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
