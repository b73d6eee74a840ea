using Google.Protobuf;
using MiniKube.Raft.Pb;
using MiniKube.Store.Backend;
using MiniKube.Store.Consensus;
using RaftSnapshot = MiniKube.Raft.Pb.Snapshot;

namespace MiniKube.Store.Tests.Consensus;

/// <summary>
/// Drives a <see cref="RaftLogStorage"/> through the contract's writes, each one a synced
/// <see cref="RaftLogStorage.Save"/>. With <paramref name="reopenEachTime"/>, every read goes to a
/// storage freshly opened from the backend, so the whole contract also checks what survives a restart.
/// </summary>
public sealed class DurableRaftStorage(IBackend backend, RaftLogStorage storage, bool reopenEachTime) : IWritableRaftStorage
{
    private RaftLogStorage Current => reopenEachTime ? RaftLogStorage.Open(backend) : storage;

    public (HardState HardState, ConfState ConfState) InitialState() => Current.InitialState();

    public IReadOnlyList<Entry> Entries(ulong lo, ulong hi, ulong maxSize) => Current.Entries(lo, hi, maxSize);

    public ulong Term(ulong index) => Current.Term(index);

    public ulong LastIndex() => Current.LastIndex();

    public ulong FirstIndex() => Current.FirstIndex();

    public RaftSnapshot Snapshot() => Current.Snapshot();

    public void Append(IReadOnlyList<Entry> entries) => Write(s => s.Save(null, entries, null, sync: true));

    public void SetHardState(HardState hardState) => Write(s => s.Save(null, [], hardState, sync: true));

    public void ApplySnapshot(RaftSnapshot snapshot) => Write(s => s.Save(snapshot, [], null, sync: true));

    public RaftSnapshot CreateSnapshot(ulong index, ConfState? confState, ByteString data)
    {
        RaftSnapshot? created = null;
        Write(s => created = s.CreateSnapshot(index, confState));
        return created!;
    }

    public void Compact(ulong compactIndex) => Write(s => s.Compact(compactIndex));

    private void Write(Action<RaftLogStorage> write)
    {
        if (reopenEachTime)
        {
            storage = RaftLogStorage.Open(backend);
        }

        write(storage);
    }
}
