using System.Text.Json;
using System.Text.Json.Serialization;

namespace MiniKube.Cli.Cluster;

/// <summary>
/// What <c>mkctl up</c> records in <c>cluster.json</c>: the shape of the cluster (store members, nodes, runtime) and,
/// per component, its ports and the pid of its last start. <c>up</c> on an existing directory reuses the ports, so
/// the kubeconfig and the store's peer URLs stay valid across down/up.
/// </summary>
public sealed record ClusterState
{
    public const string StoreKind = "store";
    public const string ApiServerKind = "apiserver";
    public const string ControllerManagerKind = "controller-manager";
    public const string SchedulerKind = "scheduler";
    public const string NodeAgentKind = "node-agent";

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public int Nodes { get; init; } = 3;

    public string Runtime { get; init; } = "simulated";

    public string NodeNamePrefix { get; init; } = "node-";

    /// <summary>The controller-manager's --node-monitor-grace-period when up was given one (tests shorten it).</summary>
    public string? NodeMonitorGracePeriod { get; init; }

    /// <summary>The controller-managers' and schedulers' --leader-elect-* durations when up was given them.</summary>
    public LeaderElectionDurations? LeaderElection { get; init; }

    /// <summary>Every component in start order: store members first, the node agent last.</summary>
    public List<ComponentState> Components { get; init; } = [];

    [JsonIgnore]
    public IEnumerable<ComponentState> StoreMembers => Components.Where(c => c.Kind == StoreKind);

    [JsonIgnore]
    public ComponentState ApiServer => Components.Single(c => c.Kind == ApiServerKind);

    [JsonIgnore]
    public Uri ApiServerUrl => new($"http://127.0.0.1:{ApiServer.Port}");

    [JsonIgnore]
    public IReadOnlyList<Uri> StoreClientUrls => [.. StoreMembers.Select(m => m.ClientUrl!)];

    /// <summary>A new cluster's layout: <paramref name="members"/> store members, ports from <paramref name="pickPort"/>;
    /// with several controller-managers or schedulers, one leads through its Lease and the others stand by.</summary>
    public static ClusterState New(int members, int nodes, string runtime, Func<int> pickPort, int controllerManagers = 1, int schedulers = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(controllerManagers, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(schedulers, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(members, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(nodes);
        var components = new List<ComponentState>();
        for (var i = 1; i <= members; i++)
        {
            components.Add(new ComponentState { Name = $"store-{i}", Kind = StoreKind, Port = pickPort(), PeerPort = pickPort() });
        }

        components.Add(new ComponentState { Name = ApiServerKind, Kind = ApiServerKind, Port = pickPort() });
        components.AddRange(Replicas(ControllerManagerKind, controllerManagers));
        components.AddRange(Replicas(SchedulerKind, schedulers));
        components.Add(new ComponentState { Name = NodeAgentKind, Kind = NodeAgentKind, Port = pickPort() });
        return new ClusterState { Nodes = nodes, Runtime = runtime, Components = components };
    }

    /// <summary>One is named after its kind, as before there could be several; several are numbered as the store members are.</summary>
    private static IEnumerable<ComponentState> Replicas(string kind, int count) =>
        Enumerable.Range(1, count).Select(i => new ComponentState { Name = count == 1 ? kind : $"{kind}-{i}", Kind = kind });

    public static ClusterState? Load(string path)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<ClusterState>(File.ReadAllText(path), Json);
        }
        catch (JsonException e)
        {
            throw new ClusterException($"{path} is not a cluster description: {e.Message}", e);
        }
    }

    /// <summary>Writes through a temporary file and a rename, so a reader never sees half a file.</summary>
    public void Save(string path)
    {
        var temp = path + ".tmp";
        File.WriteAllText(temp, JsonSerializer.Serialize(this, Json));
        File.Move(temp, path, overwrite: true);
    }
}
