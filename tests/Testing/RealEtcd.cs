namespace MiniKube.Testing;

/// <summary>A real etcd 3.4 (Debian's etcd-server) on free loopback ports, with its own data directory.</summary>
public sealed class RealEtcd : IEtcdServer
{
    public const string Binary = "/usr/bin/etcd";
    private readonly int _peerPort;
    private readonly string[] _extraArguments;

    private RealEtcd(string dataDir, int clientPort, int peerPort, string[] extraArguments, ServerProcess process)
    {
        DataDir = dataDir;
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

    public async Task KillAndRestartAsync()
    {
        await Process.KillAsync().ConfigureAwait(false);
        await Process.DisposeAsync().ConfigureAwait(false);
        Process = await StartProcessAsync(DataDir, ClientUrl.Port, _peerPort, _extraArguments).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await Process.DisposeAsync().ConfigureAwait(false);
        TestDirectories.Delete(DataDir);
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
