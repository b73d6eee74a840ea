namespace MiniKube.Testing;

/// <summary>
/// A cluster of MiniKube store members as child processes on loopback: client and peer ports
/// picked free, every member started with the same --initial-cluster (state new) and short Raft
/// timings so that elections take a fraction of a second. Members can be killed, restarted,
/// paused and resumed; each keeps its data directory and ports across restarts.
/// </summary>
public sealed class MiniKubeCluster : IAsyncDisposable
{
    private const string DefaultToken = "minikube-test";

    private readonly string[] _extraArguments;
    private readonly string _initialClusterToken;
    private readonly List<Member> _members;

    private MiniKubeCluster(List<Member> members, string[] extraArguments, string initialClusterToken = DefaultToken)
    {
        _members = members;
        _extraArguments = extraArguments;
        _initialClusterToken = initialClusterToken;
    }

    /// <summary>The founding members, then any added with <see cref="NewMember"/>.</summary>
    public IReadOnlyList<Member> Members => _members;

    public string InitialCluster => string.Join(",", Members.Select(m => $"{m.Name}={m.PeerUrl.OriginalString}"));

    /// <summary>Every member's client URL, comma-separated, as etcdctl's --endpoints takes them.</summary>
    public string Endpoints => string.Join(",", Members.Select(m => m.ClientUrl.OriginalString));

    public static Task<MiniKubeCluster> StartAsync(int size, int heartbeatMs = 50, int electionMs = 500, params string[] extraArguments) =>
        StartAsync(NewMembers(size), DefaultToken, heartbeatMs, electionMs, extraArguments);

    /// <summary>
    /// Members named m1…m<paramref name="size"/>, each with an empty data directory of its own and
    /// free client and peer ports, not started: to prepare their data directories before
    /// <see cref="StartAsync(IReadOnlyList{Member}, string, int, int, string[])"/> (a snapshot restore).
    /// </summary>
    public static IReadOnlyList<Member> NewMembers(int size) =>
        [.. Enumerable.Range(1, size).Select(i => new Member($"m{i}", TestDirectories.Create($"cluster-m{i}"), new Uri($"http://127.0.0.1:{FreePort.Pick()}"), new Uri($"http://127.0.0.1:{FreePort.Pick()}")))];

    /// <summary>Starts <paramref name="members"/> as one cluster whose --initial-cluster-token is <paramref name="initialClusterToken"/>.</summary>
    public static async Task<MiniKubeCluster> StartAsync(IReadOnlyList<Member> members, string initialClusterToken, int heartbeatMs = 50, int electionMs = 500, params string[] extraArguments)
    {
        ArgumentNullException.ThrowIfNull(members);
        string[] arguments = ["--heartbeat-interval", heartbeatMs.ToString(System.Globalization.CultureInfo.InvariantCulture), "--election-timeout", electionMs.ToString(System.Globalization.CultureInfo.InvariantCulture), .. extraArguments];
        var cluster = new MiniKubeCluster([.. members], arguments, initialClusterToken);
        try
        {
            await Task.WhenAll(members.Select(cluster.StartMemberAsync)).ConfigureAwait(false);
        }
        catch
        {
            await cluster.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return cluster;
    }

    public Task RestartAsync(Member member) => StartMemberAsync(member);

    /// <summary>
    /// Restarts <paramref name="member"/> with the --initial-cluster and --initial-cluster-state it
    /// was first started with, rather than the cluster's current ones: a member restarted by a
    /// script (or a unit file) that was never updated as the membership changed.
    /// </summary>
    public Task RestartAsync(Member member, string initialCluster, string clusterState) => StartMemberAsync(member, initialCluster, clusterState);

    /// <summary>
    /// A member to add (etcdctl member add with its <see cref="Member.PeerUrl"/>): ports and a
    /// data directory picked, not started. It joins the cluster's <see cref="InitialCluster"/> from then on.
    /// </summary>
    public Member NewMember(string name)
    {
        var member = new Member(name, TestDirectories.Create($"cluster-{name}"), new Uri($"http://127.0.0.1:{FreePort.Pick()}"), new Uri($"http://127.0.0.1:{FreePort.Pick()}"))
        {
            ClusterState = "existing",
        };
        _members.Add(member);
        return member;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var member in Members)
        {
            if (member.Process is { } process)
            {
                await process.DisposeAsync().ConfigureAwait(false);
            }

            TestDirectories.Delete(member.DataDir);
        }
    }

    private Task StartMemberAsync(Member member) => StartMemberAsync(member, InitialCluster, member.ClusterState);

    private async Task StartMemberAsync(Member member, string initialCluster, string clusterState)
    {
        if (!File.Exists(MiniKubeStore.StoreAssembly))
        {
            throw new FileNotFoundException("MiniKube.Store.dll is not next to the tests: reference src/Store from the test project", MiniKubeStore.StoreAssembly);
        }

        string[] arguments =
        [
            MiniKubeStore.StoreAssembly, "--name", member.Name, "--data-dir", member.DataDir,
            "--listen-client-urls", member.ClientUrl.OriginalString,
            "--listen-peer-urls", member.PeerUrl.OriginalString,
            "--initial-advertise-peer-urls", member.PeerUrl.OriginalString,
            "--initial-cluster", initialCluster, "--initial-cluster-state", clusterState, "--initial-cluster-token", _initialClusterToken,
            .. _extraArguments,
        ];
        // Generous: several members start at once, on a machine that may be busy.
        member.Process = await ServerProcess.StartAsync("dotnet", arguments, "serving clients on", TimeSpan.FromSeconds(90)).ConfigureAwait(false);
    }

    /// <summary>One member: its name, data directory and URLs, and its process while it runs.</summary>
    public sealed class Member(string name, string dataDir, Uri clientUrl, Uri peerUrl)
    {
        public string Name { get; } = name;

        public string DataDir { get; } = dataDir;

        public Uri ClientUrl { get; } = clientUrl;

        public Uri PeerUrl { get; } = peerUrl;

        public ServerProcess? Process { get; internal set; }

        /// <summary>Whether the member is stopped with SIGSTOP (by <see cref="Pause"/>) and not yet resumed.</summary>
        public bool IsPaused { get; private set; }

        /// <summary>Whether the process runs (it may be paused).</summary>
        public bool IsRunning => Process is { HasExited: false };

        /// <summary>--initial-cluster-state: "new" for a founder, "existing" for a member added later.</summary>
        public string ClusterState { get; init; } = "new";

        /// <summary>SIGKILL: the member stops at once, its data directory as the crash left it.</summary>
        public async Task KillAsync()
        {
            if (Process is { } process)
            {
                await process.KillAsync().ConfigureAwait(false);
                await process.DisposeAsync().ConfigureAwait(false);
                Process = null;
                IsPaused = false;
            }
        }

        /// <summary>SIGSTOP: the member freezes mid-whatever, its connections open but silent.</summary>
        public void Pause()
        {
            if (Process is { } process)
            {
                process.Pause();
                IsPaused = true;
            }
        }

        /// <summary>SIGCONT: a paused member carries on where it froze.</summary>
        public void Resume()
        {
            if (Process is { } process)
            {
                process.Resume();
                IsPaused = false;
            }
        }
    }
}
