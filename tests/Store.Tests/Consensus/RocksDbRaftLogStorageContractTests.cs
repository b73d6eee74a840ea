using MiniKube.Raft.Pb;
using MiniKube.Store.Backend;
using MiniKube.Store.Consensus;

namespace MiniKube.Store.Tests.Consensus;

/// <summary>The durable storage on RocksDB, reopened from the database before every call.</summary>
public sealed class RocksDbRaftLogStorageContractTests : RaftStorageContractTests
{
    private readonly TempDirectory _directory = new();
    private readonly RocksDbBackend _backend;

    public RocksDbRaftLogStorageContractTests() => _backend = RocksDbBackend.Open(_directory.Path);

    protected override IWritableRaftStorage CreateEmpty() => new DurableRaftStorage(_backend, RaftLogStorage.Open(_backend), reopenEachTime: true);

    protected override IWritableRaftStorage CreateBootstrapped(ConfState voters) =>
        new DurableRaftStorage(_backend, RaftLogStorage.Open(_backend, voters), reopenEachTime: true);

    public override void Dispose()
    {
        _backend.Dispose();
        _directory.Dispose();
        base.Dispose();
    }
}
