using Etcdserverpb;
using Google.Protobuf;
using Microsoft.Extensions.Logging.Abstractions;
using MiniKube.Raft.Pb;
using MiniKube.Store.Backend;
using MiniKube.Store.Consensus;
using MiniKube.Store.Consensus.Transport;
using MiniKube.Store.Internal;
using MiniKube.Store.Server;

namespace MiniKube.Store.Tests.Consensus;

/// <summary>
/// A member that crashed after saving a leader's snapshot in its Raft log but before its state
/// machine restored from it: on restart the host finishes the restore from the kept database.
/// </summary>
public sealed class RaftHostSnapshotRecoveryTests : IAsyncDisposable
{
    private readonly TempDirectory _directory = new();
    private readonly ManualTimeProvider _time = new();
    private readonly List<StoreServer> _servers = [];

    public async ValueTask DisposeAsync()
    {
        foreach (var server in _servers)
        {
            await server.DisposeAsync();
        }

        _directory.Dispose();
    }

    // "existing": once the store runs its own Raft host (branch raft-wire), it then bootstraps
    // nothing, so the state machines here are driven only by the test.
    private StoreServer NewServer(InMemoryBackend backend, string name, SnapshotDirectory? snapshots = null)
    {
        var server = new StoreServer(backend, new StoreOptions { Name = name, InitialAdvertisePeerUrls = [new Uri($"http://{name}:2380")], InitialClusterState = "existing" }, _time, NullLoggerFactory.Instance, snapshots: snapshots);
        _servers.Add(server);
        return server;
    }

    private static byte[] Put(string key, string value) =>
        new InternalRequest { Put = new PutRequest { Key = ByteString.CopyFromUtf8(key), Value = ByteString.CopyFromUtf8(value) } }.ToByteArray();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_host_restarted_with_its_log_snapshot_ahead_of_the_state_machine_restores_it_before_serving(bool crashedMidRestore)
    {
        var leader = NewServer(new InMemoryBackend(), "leader");
        var leaderMachine = new MvccStateMachine(leader.Applier, leader.WatchHub);
        for (var index = 1ul; index <= 30; index++)
        {
            leaderMachine.Apply(index, Put($"k{index % 4}", $"v{index}"));
        }

        leaderMachine.FlushApplied(); // as the host does after each Ready

        var backend = new InMemoryBackend();
        var follower = NewServer(backend, "follower");
        var snapshots = new SnapshotDirectory(Path.Combine(_directory.Path, "snap"));
        var followerMachine = new MvccStateMachine(follower.Applier, follower.WatchHub, snapshots);
        followerMachine.Apply(1, Put("old", "x"));
        followerMachine.FlushApplied();
        using (var database = new MemoryStream())
        {
            new BackendSnapshotSource(leader.Backend, leader.Identity, _directory.Path).WriteSnapshot(database);
            database.Position = 0;
            await snapshots.SaveAsync(25, database, CancellationToken.None);
        }

        // What HandleReady persisted before the crash: the snapshot (replacing the log) and a hard state.
        var storage = RaftLogStorage.Open(backend, new ConfState { Voters = { 1, 2, 3 } });
        var snapshot = new SnapshotMetadata { Index = 25, Term = 3, ConfState = new ConfState { Voters = { 1, 2, 3 } } };
        storage.Save(new Raft.Pb.Snapshot { Metadata = snapshot }, [], new HardState { Term = 3, Commit = 25 }, sync: true);
        if (crashedMidRestore)
        {
            follower.Mvcc.ClearForRestore(); // the data gone, no applied index, and that made durable
            backend.Sync();
        }

        var restartedBackend = backend.CrashAndRecover();
        // The restarted member's own Raft host finds the log's snapshot ahead of its state machine.
        var restarted = NewServer(restartedBackend, "follower", snapshots);

        Assert.Equal(30ul, restarted.Raft.AppliedIndex);
        Assert.Equal(leader.Mvcc.HashKV(0), restarted.Mvcc.HashKV(0));
        Assert.Equal(follower.Identity.MemberId, ClusterIdentity.LoadOrCreate(restartedBackend, restarted.Options, restarted.Options.ResolvedInitialCluster).MemberId);
    }
}
