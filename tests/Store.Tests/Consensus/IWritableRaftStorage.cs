using Google.Protobuf;
using MiniKube.Raft;
using MiniKube.Raft.Pb;
using RaftSnapshot = MiniKube.Raft.Pb.Snapshot;

namespace MiniKube.Store.Tests.Consensus;

/// <summary>The writes a host makes to a Raft storage, so one contract suite can drive every implementation.</summary>
public interface IWritableRaftStorage : IRaftStorage
{
    void Append(IReadOnlyList<Entry> entries);

    void SetHardState(HardState hardState);

    void ApplySnapshot(RaftSnapshot snapshot);

    RaftSnapshot CreateSnapshot(ulong index, ConfState? confState, ByteString data);

    void Compact(ulong compactIndex);
}
