namespace MiniKube.Testing;

/// <summary>A server speaking etcd's v3 API, started by a test: MiniKube's store or a real etcd.</summary>
public interface IEtcdServer : IAsyncDisposable
{
    /// <summary>A short name for test output: "minikube" or "etcd".</summary>
    string Kind { get; }

    Uri ClientUrl { get; }

    string DataDir { get; }

    ServerProcess Process { get; }

    /// <summary>SIGKILL, then start again on the same data directory and port.</summary>
    Task KillAndRestartAsync();
}
