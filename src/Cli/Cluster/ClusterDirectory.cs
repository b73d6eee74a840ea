namespace MiniKube.Cli.Cluster;

/// <summary>
/// The files of one local cluster under its directory (<c>.mk</c> by default): <c>cluster.json</c>, <c>kubeconfig</c>,
/// <c>logs/&lt;component&gt;.log</c> and <c>store/&lt;member&gt;</c>.
/// </summary>
public sealed class ClusterDirectory
{
    public const string DefaultName = ".mk";

    public ClusterDirectory(string path)
    {
        Root = Path.GetFullPath(path);
    }

    public string Root { get; }

    public string StatePath => Path.Combine(Root, "cluster.json");

    public string KubeconfigPath => Path.Combine(Root, "kubeconfig");

    public string LogsDirectory => Path.Combine(Root, "logs");

    public bool Exists => File.Exists(StatePath);

    /// <summary><paramref name="dir"/> (--dir) if given, else <c>.mk</c> in the working directory.</summary>
    public static ClusterDirectory Find(string? dir) => new(string.IsNullOrEmpty(dir) ? Path.Combine(Environment.CurrentDirectory, DefaultName) : dir);

    public string LogPath(string component) => Path.Combine(LogsDirectory, component + ".log");

    public string StoreDataPath(string member) => Path.Combine(Root, "store", member);

    public ClusterState? LoadState() => ClusterState.Load(StatePath);

    public ClusterState RequireState() => LoadState()
        ?? throw new ClusterException($"no cluster in {Root} (start one with: ./mkctl up{(Root == Path.GetFullPath(DefaultName) ? "" : $" --dir {Root}")})");
}
