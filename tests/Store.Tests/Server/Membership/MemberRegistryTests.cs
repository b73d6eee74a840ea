using Google.Protobuf;
using MiniKube.Raft.Pb;
using MiniKube.Store.Backend;
using MiniKube.Store.Mvcc;
using MiniKube.Store.Server;
using MiniKube.Store.Server.Membership;
using MiniKube.Store.Snapshot;

namespace MiniKube.Store.Tests.Server.Membership;

/// <summary>
/// The replicated member registry: etcd's validation of conf changes, what an applied change
/// leaves in the backend (reloaded as it was), and the membership an etcd snapshot carries.
/// </summary>
public sealed class MemberRegistryTests
{
    private static readonly ClusterMember[] Founders =
    [
        new(1, "", ["http://127.0.0.1:2380"], [], false),
        new(2, "", ["http://127.0.0.1:2381"], [], false),
        new(3, "", ["http://127.0.0.1:2382"], [], false),
    ];

    [Fact]
    public void Applied_changes_survive_a_reload_from_the_backend()
    {
        var backend = new InMemoryBackend();
        var registry = MemberRegistry.Load(backend);
        registry.Seed(backend, Founders);
        var learner = new ClusterMember(4, "", ["http://127.0.0.1:2383"], [], true);

        Apply(backend, registry, AddLearner(learner));
        Apply(backend, registry, Promote(learner));
        Apply(backend, registry, new ConfChange { Type = ConfChangeType.ConfChangeRemoveNode, NodeId = 2 });
        using (var batch = backend.CreateBatch())
        {
            Assert.True(registry.SetAttributes(4, "m4", ["http://127.0.0.1:2393"], batch));
            Assert.False(registry.SetAttributes(2, "m2", ["http://127.0.0.1:2391"], batch)); // removed: ignored as etcd does
            backend.Write(batch);
        }

        // What a crash keeps: the store syncs with the Raft log's next fsync.
        backend.Sync();

        var reloaded = MemberRegistry.Load(backend.CrashAndRecover());
        Assert.Equal([1ul, 3, 4], reloaded.Members.Select(m => m.Id));
        Assert.Equal(new ClusterMember(4, "m4", ["http://127.0.0.1:2383"], ["http://127.0.0.1:2393"], false), reloaded.Find(4), MemberComparer.Instance);
        Assert.True(reloaded.IsRemoved(2));
        Assert.False(reloaded.IsRemoved(4));
    }

    [Fact]
    public void Changes_are_validated_as_etcd_validates_them()
    {
        var backend = new InMemoryBackend();
        var registry = MemberRegistry.Load(backend);
        registry.Seed(backend, Founders);
        var learner = new ClusterMember(4, "", ["http://127.0.0.1:2383"], [], true);

        Assert.Equal("etcdserver: Peer URLs already exists", registry.Validate(AddLearner(learner with { Id = 5, PeerUrls = ["http://127.0.0.1:2381"] }))?.Status.Detail);
        Assert.Equal("etcdserver: member ID already exist", registry.Validate(AddLearner(Founders[0] with { PeerUrls = ["http://127.0.0.1:9"] }))?.Status.Detail);
        Assert.Equal("etcdserver: member not found", registry.Validate(new ConfChange { Type = ConfChangeType.ConfChangeRemoveNode, NodeId = 9 })?.Status.Detail);
        Assert.Equal("etcdserver: can only promote a learner member", registry.Validate(Promote(Founders[1]))?.Status.Detail);
        Assert.Equal("etcdserver: member not found", registry.Validate(Promote(learner))?.Status.Detail);

        Apply(backend, registry, AddLearner(learner));
        Assert.Null(registry.Validate(Promote(learner)));
        Assert.Equal("etcdserver: too many learner members in cluster", registry.Validate(AddLearner(learner with { Id = 6, PeerUrls = ["http://127.0.0.1:2384"] }))?.Status.Detail);

        Apply(backend, registry, new ConfChange { Type = ConfChangeType.ConfChangeRemoveNode, NodeId = 4 });
        Assert.Equal("etcdserver: member not found", registry.Validate(AddLearner(learner))?.Status.Detail); // a removed ID never returns
    }

    [Fact]
    public void A_snapshot_carries_the_members_the_removed_ids_and_the_configuration()
    {
        var backend = new InMemoryBackend();
        var registry = MemberRegistry.Load(backend);
        registry.Seed(backend, Founders);
        Apply(backend, registry, new ConfChange { Type = ConfChangeType.ConfChangeRemoveNode, NodeId = 3 });
        using (var batch = backend.CreateBatch())
        {
            registry.SetAttributes(1, "m1", ["http://127.0.0.1:2379"], batch);
            batch.Put(BackendTable.Meta, MembershipSnapshot.ConfStateKey, new ConfState { Voters = { 1, 2 } }.ToByteArray());
            MetaKeys.WriteLong(batch, MetaKeys.AppliedIndex, 7);
            backend.Write(batch);
        }

        using var file = new MemoryStream();
        using (var view = backend.OpenView())
        {
            EtcdSnapshotWriter.Write(view, new ClusterIdentity(9, 1, "m1", [new Uri("http://127.0.0.1:2380")], [new Uri("http://127.0.0.1:2379")]), noSpaceAlarm: false, file);
        }

        var (members, removed, confState) = MembershipSnapshot.Read(BoltFileReader.Open(file.ToArray()));
        Assert.Equal(new ulong[] { 1, 2 }, members.Select(m => m.Id).Order().ToArray());
        Assert.Equal("m1", members.Single(m => m.Id == 1).Name);
        Assert.Equal([3ul], removed);
        Assert.Equal(new ConfState { Voters = { 1, 2 } }, confState);

        var restoredBackend = new InMemoryBackend();
        var restored = MemberRegistry.Load(restoredBackend);
        using (var batch = restoredBackend.CreateBatch())
        {
            restored.Replace(batch, members, removed);
            restoredBackend.Write(batch);
        }

        Assert.Equal(registry.Members, MemberRegistry.Load(restoredBackend).Members, MemberComparer.Instance);
        Assert.True(MemberRegistry.Load(restoredBackend).IsRemoved(3));
    }

    private static void Apply(InMemoryBackend backend, MemberRegistry registry, ConfChange change)
    {
        Assert.Null(registry.Validate(change));
        using var batch = backend.CreateBatch();
        registry.Apply(change, batch);
        backend.Write(batch);
    }

    private static ConfChange AddLearner(ClusterMember member) => new()
    {
        Type = ConfChangeType.ConfChangeAddLearnerNode,
        NodeId = member.Id,
        Context = ByteString.CopyFrom(member.ToJson()),
    };

    private static ConfChange Promote(ClusterMember member) => new()
    {
        Type = ConfChangeType.ConfChangeAddNode,
        NodeId = member.Id,
        Context = ByteString.CopyFrom((member with { IsLearner = false }).ToJson(isPromote: true)),
    };

    /// <summary>Records with list members compare their lists by reference; members compare by content here.</summary>
    private sealed class MemberComparer : IEqualityComparer<ClusterMember?>
    {
        public static readonly MemberComparer Instance = new();

        public bool Equals(ClusterMember? x, ClusterMember? y) =>
            x is not null && y is not null && x.Id == y.Id && x.Name == y.Name && x.IsLearner == y.IsLearner
                && x.PeerUrls.SequenceEqual(y.PeerUrls) && x.ClientUrls.SequenceEqual(y.ClientUrls);

        public int GetHashCode(ClusterMember? obj) => obj?.Id.GetHashCode() ?? 0;
    }
}
