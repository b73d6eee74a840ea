using Google.Protobuf;
using MiniKube.Raft;
using MiniKube.Raft.Pb;
using RaftSnapshot = MiniKube.Raft.Pb.Snapshot;

namespace MiniKube.Store.Tests.Consensus;

/// <summary>The reference storage passes the contract, which keeps the contract honest.</summary>
public sealed class MemoryRaftStorageContractTests : RaftStorageContractTests
{
    protected override IWritableRaftStorage CreateEmpty() => new Adapter(new MemoryRaftStorage());

    protected override IWritableRaftStorage CreateBootstrapped(ConfState voters) => new Adapter(new MemoryRaftStorage(voters));

    private sealed class Adapter(MemoryRaftStorage storage) : IWritableRaftStorage
    {
        public (HardState HardState, ConfState ConfState) InitialState() => storage.InitialState();

        public IReadOnlyList<Entry> Entries(ulong lo, ulong hi, ulong maxSize) => storage.Entries(lo, hi, maxSize);

        public ulong Term(ulong index) => storage.Term(index);

        public ulong LastIndex() => storage.LastIndex();

        public ulong FirstIndex() => storage.FirstIndex();

        public RaftSnapshot Snapshot() => storage.Snapshot();

        public void Append(IReadOnlyList<Entry> entries) => storage.Append(entries);

        public void SetHardState(HardState hardState) => storage.SetHardState(hardState);

        public void ApplySnapshot(RaftSnapshot snapshot) => storage.ApplySnapshot(snapshot);

        public RaftSnapshot CreateSnapshot(ulong index, ConfState? confState, ByteString data) => storage.CreateSnapshot(index, confState, data);

        public void Compact(ulong compactIndex) => storage.Compact(compactIndex);
    }
}
