using MiniKube.Raft.Pb;
using MiniKube.Store.Backend;
using MiniKube.Store.Consensus;

namespace MiniKube.Store.Tests.Consensus;

/// <summary>The durable storage on the in-memory backend.</summary>
public sealed class RaftLogStorageContractTests : RaftStorageContractTests
{
    private readonly InMemoryBackend _backend = new();

    protected override IWritableRaftStorage CreateEmpty() => new DurableRaftStorage(_backend, RaftLogStorage.Open(_backend), reopenEachTime: false);

    protected override IWritableRaftStorage CreateBootstrapped(ConfState voters) =>
        new DurableRaftStorage(_backend, RaftLogStorage.Open(_backend, voters), reopenEachTime: false);

    public override void Dispose()
    {
        _backend.Dispose();
        base.Dispose();
    }
}
