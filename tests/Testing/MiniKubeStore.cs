namespace MiniKube.Testing;

/// <summary>
/// MiniKube's store member as a child process (the MiniKube.Store.dll next to the test assembly,
/// so the test project must reference the Store project), on a free loopback port.
/// </summary>
public sealed class MiniKubeStore : IEtcdServer
{
    private readonly string[] _extraArguments;

    private MiniKubeStore(string dataDir, int clientPort, string[] extraArguments, ServerProcess process)
    {
        DataDir = dataDir;
        ClientUrl = new Uri($"http://127.0.0.1:{clientPort}");
        _extraArguments = extraArguments;
        Process = process;
    }

    public string Kind => "minikube";

    public Uri ClientUrl { get; }

    public string DataDir { get; }

    public ServerProcess Process { get; private set; }

    public static string StoreAssembly => Path.Combine(AppContext.BaseDirectory, "MiniKube.Store.dll");

    public static async Task<MiniKubeStore> StartAsync(params string[] extraArguments)
    {
        var dataDir = TestDirectories.Create("store");
        var clientPort = FreePort.Pick();
        var process = await StartProcessAsync(dataDir, clientPort, extraArguments).ConfigureAwait(false);
        return new MiniKubeStore(dataDir, clientPort, extraArguments, process);
    }

    public async Task KillAndRestartAsync()
    {
        await Process.KillAsync().ConfigureAwait(false);
        await Process.DisposeAsync().ConfigureAwait(false);
        Process = await StartProcessAsync(DataDir, ClientUrl.Port, _extraArguments).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await Process.DisposeAsync().ConfigureAwait(false);
        TestDirectories.Delete(DataDir);
    }

    private static Task<ServerProcess> StartProcessAsync(string dataDir, int clientPort, string[] extraArguments)
    {
        if (!File.Exists(StoreAssembly))
        {
            throw new FileNotFoundException("MiniKube.Store.dll is not next to the tests: reference src/Store from the test project", StoreAssembly);
        }

        string[] arguments =
        [
            StoreAssembly, "--name", "default", "--data-dir", dataDir,
            "--listen-client-urls", $"http://127.0.0.1:{clientPort}",
            "--listen-peer-urls", $"http://127.0.0.1:{FreePort.Pick()}", .. extraArguments,
        ];
        return ServerProcess.StartAsync("dotnet", arguments, "serving clients on");
    }
}
