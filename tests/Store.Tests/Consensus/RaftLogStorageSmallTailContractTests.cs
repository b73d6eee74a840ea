using MiniKube.Raft.Pb;
using MiniKube.Store.Backend;
using MiniKube.Store.Consensus;

namespace MiniKube.Store.Tests.Consensus;

/// <summary>
/// The durable storage with an in-memory tail of two entries, so that the contract's reads are
/// answered partly from the tail and partly from the backend.
/// </summary>
public sealed class RaftLogStorageSmallTailContractTests : RaftStorageContractTests
{
    private readonly InMemoryBackend _backend = new();

    protected override IWritableRaftStorage CreateEmpty() =>
        new DurableRaftStorage(_backend, RaftLogStorage.Open(_backend, null, 1, tailEntries: 2, tailBytes: 1024), reopenEachTime: false);

    protected override IWritableRaftStorage CreateBootstrapped(ConfState voters) =>
        new DurableRaftStorage(_backend, RaftLogStorage.Open(_backend, voters, 1, tailEntries: 2, tailBytes: 1024), reopenEachTime: false);

    public override void Dispose()
    {
        _backend.Dispose();
        base.Dispose();
    }
}
