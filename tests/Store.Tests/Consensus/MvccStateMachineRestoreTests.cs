using System.Collections.Concurrent;
using Etcdserverpb;
using Google.Protobuf;
using Microsoft.Extensions.Logging.Abstractions;
using MiniKube.Raft.Pb;
using MiniKube.Store.Backend;
using MiniKube.Store.Consensus;
using MiniKube.Store.Consensus.Transport;
using MiniKube.Store.Internal;
using MiniKube.Store.Mvcc;
using MiniKube.Store.Server;
using MiniKube.Store.Watch;

namespace MiniKube.Store.Tests.Consensus;

/// <summary>
/// The follower's half of a snapshot, without Raft or a network: one store's database, as the
/// leader's transport writes it, replaces another store's contents.
/// </summary>
public sealed class MvccStateMachineRestoreTests : IAsyncDisposable
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
    private (StoreServer Server, MvccStateMachine Machine, SnapshotDirectory Snapshots) NewMember(string name)
    {
        var server = new StoreServer(new InMemoryBackend(), new StoreOptions { Name = name, InitialAdvertisePeerUrls = [new Uri($"http://{name}:2380")], InitialClusterState = "existing" }, _time, NullLoggerFactory.Instance);
        _servers.Add(server);
        var snapshots = new SnapshotDirectory(Path.Combine(_directory.Path, name));
        return (server, new MvccStateMachine(server.Applier, server.WatchHub, snapshots), snapshots);
    }

    private static byte[] Request(InternalRequest request) => request.ToByteArray();

    private static byte[] Put(string key, string value, long lease = 0) =>
        Request(new InternalRequest { Put = new PutRequest { Key = ByteString.CopyFromUtf8(key), Value = ByteString.CopyFromUtf8(value), Lease = lease } });

    private static List<string> Keys(StoreServer server) =>
        [.. server.Mvcc.Range(KeyRange.From([0]), new RangeOptions()).KeyValues.Select(kv => $"{kv.Key.ToStringUtf8()}={kv.Value.ToStringUtf8()}@{kv.ModRevision}/{kv.Lease}")];

    [Fact]
    public async Task Restore_replaces_keys_history_leases_and_applied_index_but_keeps_the_members_identity()
    {
        var (leader, leaderMachine, _) = NewMember("leader");
        var index = 0ul;
        leaderMachine.Apply(++index, Request(new InternalRequest { LeaseGrant = new LeaseGrantRequest { ID = 77, TTL = 600 } }));
        for (var i = 0; i < 40; i++)
        {
            leaderMachine.Apply(++index, Put($"k{i % 9}", $"v{i}", lease: i == 38 ? 77 : 0));
        }

        leaderMachine.Apply(++index, Request(new InternalRequest { DeleteRange = new DeleteRangeRequest { Key = ByteString.CopyFromUtf8("k8") } }));
        var compaction = (AppliedWrite)leaderMachine.Apply(++index, Request(new InternalRequest { Compaction = new CompactionRequest { Revision = 10 } }))!;
        await compaction.PhysicalCompaction!;
        leaderMachine.Apply(++index, Put("after-compaction", "x"));
        leaderMachine.FlushApplied(); // as the host does after each Ready

        var (follower, followerMachine, snapshots) = NewMember("follower");
        followerMachine.Apply(1, Put("stale", "gone"));
        followerMachine.Apply(2, Put("k0", "old"));
        followerMachine.FlushApplied();
        var identity = follower.Identity;
        var sink = new RecordingSink();
        follower.WatchHub.Register(new Watcher(1, KeyRange.From([0]), follower.Mvcc.Revision + 1, sink));

        using (var database = new MemoryStream())
        {
            new BackendSnapshotSource(leader.Backend, leader.Identity, _directory.Path).WriteSnapshot(database);
            database.Position = 0;
            await snapshots.SaveAsync(index - 2, database, CancellationToken.None);
        }

        followerMachine.Restore(new SnapshotMetadata { Index = index - 2, Term = 2 });

        Assert.Equal(index, followerMachine.AppliedIndex); // the database's, above the snapshot's index
        Assert.Equal(leader.Mvcc.HashKV(0), follower.Mvcc.HashKV(0));
        Assert.Equal(Keys(leader), Keys(follower));
        Assert.Equal(leader.Mvcc.Revision, follower.Mvcc.Revision);
        Assert.Equal(leader.Mvcc.CompactRevision, follower.Mvcc.CompactRevision);
        Assert.True(follower.Lessor.Exists(77));
        Assert.Equal(["k2"], follower.Lessor.TimeToLive(77, withKeys: true)!.Value.Keys.Select(k => System.Text.Encoding.UTF8.GetString(k)));
        var restoredIdentity = ClusterIdentity.LoadOrCreate(follower.Backend, follower.Options, follower.Options.ResolvedInitialCluster);
        Assert.Equal((identity.MemberId, identity.ClusterId), (restoredIdentity.MemberId, restoredIdentity.ClusterId));
        Assert.NotEqual(leader.Identity.MemberId, restoredIdentity.MemberId);

        // The watcher was at revision 4; the restored store compacted history below 10, so it is
        // told so (as etcd cancels a watcher that fell behind a compaction) rather than left silent.
        var responses = await sink.WaitForAsync(r => r.Canceled);
        Assert.Equal(10, responses.Single(r => r.Canceled).CompactRevision);

        followerMachine.Apply(index + 1, Put("next", "y"));
        followerMachine.FlushApplied();
        Assert.Equal(leader.Mvcc.Revision + 1, follower.Mvcc.Revision);
    }

    [Fact]
    public async Task Restore_refuses_a_database_behind_the_snapshot_it_came_with()
    {
        var (leader, leaderMachine, _) = NewMember("leader");
        leaderMachine.Apply(1, Put("a", "1"));
        leaderMachine.FlushApplied();
        var (_, followerMachine, snapshots) = NewMember("follower");
        using (var database = new MemoryStream())
        {
            new BackendSnapshotSource(leader.Backend, leader.Identity, _directory.Path).WriteSnapshot(database);
            database.Position = 0;
            await snapshots.SaveAsync(5, database, CancellationToken.None);
        }

        var error = Assert.Throws<InvalidDataException>(() => followerMachine.Restore(new SnapshotMetadata { Index = 5, Term = 1 }));
        Assert.Contains("below the snapshot's index", error.Message);
        Assert.Throws<FileNotFoundException>(() => followerMachine.Restore(new SnapshotMetadata { Index = 6, Term = 1 }));
    }

    private sealed class RecordingSink : IWatchSink
    {
        private readonly ConcurrentQueue<WatchResponse> _responses = new();

        public bool TrySend(WatchResponse response)
        {
            _responses.Enqueue(response);
            return true;
        }

        public async Task<List<WatchResponse>> WaitForAsync(Func<WatchResponse, bool> condition)
        {
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
            while (!_responses.Any(condition))
            {
                Assert.True(DateTime.UtcNow < deadline, "no such watch response");
                await Task.Delay(10);
            }

            return [.. _responses];
        }
    }
}
