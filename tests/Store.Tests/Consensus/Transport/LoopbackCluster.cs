using System.Collections.Concurrent;
using Microsoft.Extensions.Logging.Abstractions;
using MiniKube.Raft.Pb;
using MiniKube.Store.Backend;
using MiniKube.Store.Consensus;
using MiniKube.Store.Consensus.Transport;
using MiniKube.Store.Server;
using Xunit.Abstractions;

namespace MiniKube.Store.Tests.Consensus.Transport;

/// <summary>
/// Members each with a RocksDB backend, an MVCC state machine, a Raft host and a
/// <see cref="PeerTransport"/>, talking over real HTTP/2 on loopback. A member can be stopped and
/// started again on the same data directory and port. Ticks run on the system clock (short), since
/// the messages cross a real network anyway; waits are for conditions, never fixed sleeps.
/// </summary>
public sealed class LoopbackCluster : IAsyncDisposable
{
    public const ulong ClusterId = 0xc1a5_7e40_0000_0001;
    public static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    private readonly TempDirectory _directory = new();

    private LoopbackCluster(RaftHostOptions options, ulong[] ids, ITestOutputHelper? output)
    {
        Options = options;
        Output = output;
        Members = [.. ids.Select(id => new Member(this, id))];
    }

    /// <summary>Short ticks, but an election timeout (0.5-1 s) that a busy test machine does not miss heartbeats by.</summary>
    public static RaftHostOptions DefaultOptions => new() { TickInterval = TimeSpan.FromMilliseconds(25), ElectionTick = 20, RequestTimeout = TimeSpan.FromSeconds(10) };

    public RaftHostOptions Options { get; }

    public ITestOutputHelper? Output { get; }

    public IReadOnlyList<Member> Members { get; }

    public Member this[ulong id] => Members.Single(m => m.Id == id);

    public static async Task<LoopbackCluster> StartAsync(int size, ITestOutputHelper? output = null, RaftHostOptions? options = null)
    {
        var cluster = new LoopbackCluster(
            options ?? DefaultOptions,
            [.. Enumerable.Range(1, size).Select(i => (ulong)i)],
            output);
        foreach (var member in cluster.Members)
        {
            await member.ListenAsync();
        }

        foreach (var member in cluster.Members)
        {
            member.Open();
        }

        return cluster;
    }

    /// <summary>
    /// Waits until every running member follows one leader and returns it. Members campaign on
    /// their own election timeouts, so which one wins is not fixed; <paramref name="preferred"/> is
    /// asked to campaign first and usually does.
    /// </summary>
    public async Task<Member> ElectAsync(Member? preferred = null)
    {
        preferred?.Host!.Campaign();
        Member? leader = null;
        await EventuallyAsync(
            () =>
            {
                var running = Members.Where(m => m.IsRunning).ToList();
                var id = running[0].Host!.Leader;
                leader = id == 0 || running.Any(m => m.Host!.Leader != id) ? null : this[id];
                return leader is { IsRunning: true };
            },
            "every member follows one leader");
        return leader!;
    }

    /// <summary>
    /// Proposes on <paramref name="member"/>, again when it answers "no leader": on a busy machine
    /// an election can happen mid-test, and such a proposal was never applied, so retrying it is
    /// safe (a timed-out one may have been, and is not retried).
    /// </summary>
    public static async Task<object?> ProposeAsync(Member member, byte[] payload)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await member.Host!.ProposeAsync(payload);
            }
            catch (Grpc.RpcException e) when (e.Status.Detail == "etcdserver: no leader" && attempt < 50)
            {
                await EventuallyAsync(() => member.Host!.Leader != 0, "a leader again");
            }
        }
    }

    public static async Task EventuallyAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + Wait;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"not within {Wait}: {what}");
            }

            await Task.Delay(10);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var member in Members)
        {
            await member.StopAsync();
        }

        _directory.Dispose();
    }

    public sealed class Member(LoopbackCluster cluster, ulong id)
    {
        private int _port;

        public ulong Id { get; } = id;

        public SwitchableHandler Handler { get; } = new(ClusterId);

        public PeerServer? Server { get; private set; }

        public RocksDbBackend? Backend { get; private set; }

        public StoreServer? Store { get; private set; }

        public RaftHost? Host { get; private set; }

        public PeerTransport? Transport { get; private set; }

        public RaftLogStorage? Log { get; private set; }

        public SnapshotDirectory Snapshots => SnapshotDirectory.InDataDirectory(DataDirectory);

        public string DataDirectory => Path.Combine(cluster._directory.Path, $"m{Id}");

        /// <summary>Every ReportUnreachable this member's transport made, in order.</summary>
        public ConcurrentQueue<ulong> Unreachable { get; } = new();

        public bool IsRunning => Host is not null;

        public Uri Url => new($"http://127.0.0.1:{_port}");

        public async Task ListenAsync()
        {
            Server = await PeerServer.StartAsync(Handler, _port);
            _port = Server.Url.Port;
        }

        public async Task StopListeningAsync()
        {
            if (Server is not null)
            {
                await Server.DisposeAsync();
                Server = null;
            }
        }

        public void Open()
        {
            var voters = cluster.Members.Select(m => m.Id).ToArray();
            Backend = RocksDbBackend.Open(Path.Combine(DataDirectory, "db"));
            // "existing": the store's own Raft host bootstraps nothing and stays idle, leaving the
            // backend's Raft log to the host this harness runs with its fixed member IDs.
            Store = new StoreServer(Backend, new StoreOptions { Name = $"m{Id}", DataDir = DataDirectory, InitialClusterState = StoreOptions.ClusterStateExisting }, TimeProvider.System, NullLoggerFactory.Instance);
            Transport = new PeerTransport(new PeerTransportOptions
            {
                MemberId = Id,
                ClusterId = ClusterId,
                RandomSeed = (int)Id,
                InitialBackoff = TimeSpan.FromMilliseconds(20),
                MaxBackoff = TimeSpan.FromMilliseconds(200),
                SnapshotSource = new BackendSnapshotSource(Backend, Store.Identity),
                Logger = cluster.Output is { } output ? new TestOutputLogger(output, $"m{Id}") : Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance,
            });
            var stateMachine = new MvccStateMachine(Store.Applier, Store.WatchHub, Snapshots);
            Log = RaftLogStorage.Open(Backend, new ConfState { Voters = { voters } });
            Host = new RaftHost(Id, Log, stateMachine, Transport, cluster.Options);
            var host = Host;
            Transport.Attach(
                peer =>
                {
                    Unreachable.Enqueue(peer);
                    host.ReportUnreachable(peer);
                },
                host.ReportSnapshot);
            foreach (var peer in cluster.Members.Where(m => m.Id != Id))
            {
                Transport.AddPeer(peer.Id, [peer.Url]);
            }

            Handler.Inner = new RaftPeerHandler(Host, ClusterId, Snapshots, () => []);
        }

        public async Task StopAsync()
        {
            Handler.Inner = null;
            Host?.Dispose();
            Host = null;
            Log = null;
            if (Transport is not null)
            {
                await Transport.DisposeAsync();
                Transport = null;
            }

            if (Store is not null)
            {
                await Store.DisposeAsync();
                Store = null;
            }

            Backend?.Dispose();
            Backend = null;
            await StopListeningAsync();
        }

        public async Task StartAsync()
        {
            if (Server is null)
            {
                await ListenAsync();
            }

            Open();
        }
    }
}
