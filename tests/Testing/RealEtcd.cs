namespace MiniKube.Testing;

/// <summary>A real etcd 3.4 (Debian's etcd-server) on free loopback ports, with its own data directory.</summary>
public sealed class RealEtcd : IEtcdServer
{
    public const string Binary = "/usr/bin/etcd";
    private readonly int _peerPort;
    private readonly string[] _extraArguments;
    private readonly string _ownedDirectory;

    private RealEtcd(string dataDir, int clientPort, int peerPort, string[] extraArguments, ServerProcess process, string? ownedDirectory = null)
    {
        DataDir = dataDir;
        _ownedDirectory = ownedDirectory ?? dataDir;
        ClientUrl = new Uri($"http://127.0.0.1:{clientPort}");
        _peerPort = peerPort;
        _extraArguments = extraArguments;
        Process = process;
    }

    public string Kind => "etcd";

    public Uri ClientUrl { get; }

    public string DataDir { get; }

    public ServerProcess Process { get; private set; }

    public static async Task<RealEtcd> StartAsync(params string[] extraArguments)
    {
        var dataDir = TestDirectories.Create("etcd");
        var clientPort = FreePort.Pick();
        var peerPort = FreePort.Pick();
        var process = await StartProcessAsync(dataDir, clientPort, peerPort, extraArguments).ConfigureAwait(false);
        return new RealEtcd(dataDir, clientPort, peerPort, extraArguments, process);
    }

    /// <summary>
    /// What an operator does with a backup: <c>etcdctl snapshot restore</c> into a new data
    /// directory (a new cluster of one member), then an etcd started from it.
    /// </summary>
    public static async Task<RealEtcd> RestoreAsync(string snapshotFile)
    {
        // etcdctl restores only into a directory that does not exist yet.
        var owned = TestDirectories.Create("etcd-restored");
        var dataDir = Path.Combine(owned, "data");
        var clientPort = FreePort.Pick();
        var peerPort = FreePort.Pick();
        var peer = $"http://127.0.0.1:{peerPort}";
        var restore = await ProcessRunner.RunAsync(
            "/usr/bin/etcdctl",
            ["snapshot", "restore", snapshotFile, "--data-dir", dataDir, "--name", "default", "--initial-cluster", $"default={peer}", "--initial-advertise-peer-urls", peer],
            timeout: TimeSpan.FromSeconds(60),
            environment: new Dictionary<string, string> { ["ETCDCTL_API"] = "3" }).ConfigureAwait(false);
        if (restore.ExitCode != 0)
        {
            throw new InvalidOperationException($"etcdctl snapshot restore failed: {restore}");
        }

        var process = await StartProcessAsync(dataDir, clientPort, peerPort, []).ConfigureAwait(false);
        return new RealEtcd(dataDir, clientPort, peerPort, [], process, owned);
    }

    public async Task KillAndRestartAsync()
    {
        await Process.KillAsync().ConfigureAwait(false);
        await Process.DisposeAsync().ConfigureAwait(false);
        Process = await StartProcessAsync(DataDir, ClientUrl.Port, _peerPort, _extraArguments).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await Process.DisposeAsync().ConfigureAwait(false);
        TestDirectories.Delete(_ownedDirectory);
    }

    private static Task<ServerProcess> StartProcessAsync(string dataDir, int clientPort, int peerPort, string[] extraArguments)
    {
        var client = $"http://127.0.0.1:{clientPort}";
        var peer = $"http://127.0.0.1:{peerPort}";
        string[] arguments =
        [
            "--name", "default", "--data-dir", dataDir,
            "--listen-client-urls", client, "--advertise-client-urls", client,
            "--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer,
            "--initial-cluster", $"default={peer}", "--logger", "zap", .. extraArguments,
        ];
        // With --logger zap, etcd 3.4 logs this once it serves clients ("ready to serve client
        // requests" is the capnslog logger's line, never printed here).
        return ServerProcess.StartAsync(Binary, arguments, "serving client traffic");
    }
}
