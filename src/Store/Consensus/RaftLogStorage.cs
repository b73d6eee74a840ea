using System.Buffers.Binary;
using Google.Protobuf;
using MiniKube.Raft;
using MiniKube.Raft.Pb;
using MiniKube.Store.Backend;
using RaftSnapshot = MiniKube.Raft.Pb.Snapshot;

namespace MiniKube.Store.Consensus;

/// <summary>
/// The durable <see cref="IRaftStorage"/>: the Raft log kept in the member's own backend, so one
/// fsync covers the log and the state machine. It behaves as <see cref="MemoryRaftStorage"/> (the
/// same contract tests run against both); the host owns it and calls it from its one loop only.
/// </summary>
/// <remarks>
/// Layout in <see cref="BackendTable.Raft"/>:
/// <list type="bullet">
/// <item><c>'e' + BE64(index)</c> → a serialized <see cref="Entry"/>, for FirstIndex ≤ index ≤ LastIndex.</item>
/// <item><c>"hardstate"</c> → a serialized <see cref="HardState"/>.</item>
/// <item><c>"snapshot"</c> → the <see cref="SnapshotMetadata"/> of the latest snapshot (index, term,
/// configuration). Its data is not stored here: the state machine is the rest of the backend, and
/// the transport sends a copy of it beside the message, as etcd sends its database file.</item>
/// <item><c>"compacted"</c> → BE64(index) BE64(term) of the last entry dropped by compaction (etcd's
/// dummy entry), so <see cref="Term"/> still answers for FirstIndex - 1.</item>
/// </list>
/// Every change is one backend batch, so a crash leaves the log at a batch boundary. The newest
/// entries are held in memory as well (<see cref="RaftLogTail"/>), updated only after their batch
/// is written, so the terms and entries Raft reads for every message come from there.
/// </remarks>
public sealed class RaftLogStorage : IRaftStorage
{
    private const byte EntryPrefix = (byte)'e';
    private static readonly byte[] HardStateKey = "hardstate"u8.ToArray();
    private static readonly byte[] SnapshotKey = "snapshot"u8.ToArray();
    private static readonly byte[] CompactedKey = "compacted"u8.ToArray();

    /// <summary>
    /// The tail's budget: the entries a follower that fell a little behind still needs, and those
    /// committed but not yet applied, at a few MiB for large values.
    /// </summary>
    internal const int TailEntries = 8192;

    internal const long TailBytes = 8L * 1024 * 1024;

    private readonly IBackend _backend;
    private readonly RaftLogTail _tail;
    private HardState _hardState;
    private SnapshotMetadata _snapshot;
    private ulong _compactedIndex;
    private ulong _compactedTerm;
    private ulong _lastIndex;
    private ConfState? _confStateOverride;

    private RaftLogStorage(IBackend backend, RaftLogTail tail, HardState hardState, SnapshotMetadata snapshot, ulong compactedIndex, ulong compactedTerm, ulong lastIndex)
    {
        _backend = backend;
        _tail = tail;
        _hardState = hardState;
        _snapshot = snapshot;
        _compactedIndex = compactedIndex;
        _compactedTerm = compactedTerm;
        _lastIndex = lastIndex;
    }

    /// <summary>
    /// Opens the log in <paramref name="backend"/>. When it holds none yet and
    /// <paramref name="initial"/> is given (a founding member of a new cluster), the log starts as
    /// <see cref="MemoryRaftStorage(ConfState)"/> does: a snapshot at index 1, term 1 holding that
    /// configuration, and a hard state committed to it, synced before this returns. Without
    /// <paramref name="initial"/> an empty log stays empty (a member that joins later).
    /// <paramref name="initialIndex"/> moves that first snapshot past a state machine that already
    /// holds applied entries (a data directory restored from a backup, or written before the store
    /// was replicated), so Raft never hands it entries it has.
    /// </summary>
    public static RaftLogStorage Open(IBackend backend, ConfState? initial = null, ulong initialIndex = 1) =>
        Open(backend, initial, initialIndex, TailEntries, TailBytes);

    /// <inheritdoc cref="Open(IBackend, ConfState?, ulong)"/>
    /// <param name="tailEntries">How many of the newest entries to keep in memory as well.</param>
    /// <param name="tailBytes">How many bytes of the newest entries to keep in memory at most.</param>
    internal static RaftLogStorage Open(IBackend backend, ConfState? initial, ulong initialIndex, int tailEntries, long tailBytes)
    {
        var tail = new RaftLogTail(tailEntries, tailBytes);
        var snapshotBytes = backend.Get(BackendTable.Raft, SnapshotKey);
        if (snapshotBytes is null && backend.Get(BackendTable.Raft, HardStateKey) is null && initial is not null)
        {
            initialIndex = Math.Max(initialIndex, 1);
            var snapshot = new SnapshotMetadata { Index = initialIndex, Term = 1, ConfState = initial.Clone() };
            var hardState = new HardState { Term = 1, Commit = initialIndex };
            using (var batch = backend.CreateBatch())
            {
                batch.Put(BackendTable.Raft, SnapshotKey, snapshot.ToByteArray());
                batch.Put(BackendTable.Raft, HardStateKey, hardState.ToByteArray());
                batch.Put(BackendTable.Raft, CompactedKey, CompactedValue(initialIndex, 1));
                backend.Write(batch);
            }

            backend.Sync();
            return new RaftLogStorage(backend, tail, hardState, snapshot, initialIndex, 1, initialIndex);
        }

        var storedHardState = backend.Get(BackendTable.Raft, HardStateKey);
        var storedSnapshot = snapshotBytes is null
            ? new SnapshotMetadata { ConfState = new ConfState() }
            : SnapshotMetadata.Parser.ParseFrom(snapshotBytes);
        ulong compactedIndex = 0, compactedTerm = 0;
        if (backend.Get(BackendTable.Raft, CompactedKey) is { } compacted)
        {
            compactedIndex = BinaryPrimitives.ReadUInt64BigEndian(compacted);
            compactedTerm = BinaryPrimitives.ReadUInt64BigEndian(compacted.AsSpan(8));
        }

        // The log is kept short by compaction, so one pass on open is cheap; it also proves the
        // entries are contiguous, which every later read relies on.
        var last = compactedIndex;
        using (var it = backend.Iterate(BackendTable.Raft, EntryKey(compactedIndex + 1), [EntryPrefix + 1]))
        {
            for (it.SeekToFirst(); it.Valid; it.Next())
            {
                var index = BinaryPrimitives.ReadUInt64BigEndian(it.Key[1..]);
                if (index != last + 1)
                {
                    throw new InvalidDataException($"raft log: entry {index} follows {last}");
                }

                last = index;
            }
        }

        return new RaftLogStorage(
            backend,
            tail,
            storedHardState is null ? new HardState() : HardState.Parser.ParseFrom(storedHardState),
            storedSnapshot,
            compactedIndex,
            compactedTerm,
            last);
    }

    public (HardState HardState, ConfState ConfState) InitialState() =>
        (_hardState.Clone(), (_confStateOverride ?? _snapshot.ConfState ?? new ConfState()).Clone());

    /// <summary>
    /// The configuration <see cref="InitialState"/> answers from now on, in place of the snapshot's:
    /// the state machine's, saved with conf changes applied after the snapshot (which a restart
    /// does not replay). In memory only; the host sets it before Raft starts.
    /// </summary>
    public void UseConfState(ConfState confState) => _confStateOverride = confState.Clone();

    public HardState HardState => _hardState.Clone();

    public IReadOnlyList<Entry> Entries(ulong lo, ulong hi, ulong maxSize)
    {
        if (lo <= _compactedIndex)
        {
            throw new CompactedException();
        }

        if (hi > _lastIndex + 1)
        {
            throw new InvalidOperationException($"entries' hi({hi}) is out of bound lastindex({_lastIndex})");
        }

        if (_lastIndex == _compactedIndex)
        {
            throw new LogUnavailableException();
        }

        if (_tail.TrySlice(lo, hi, maxSize, out var held))
        {
            return held;
        }

        var entries = new List<Entry>();
        ulong size = 0;
        using var it = _backend.Iterate(BackendTable.Raft, EntryKey(lo), EntryKey(hi));
        for (it.SeekToFirst(); it.Valid; it.Next())
        {
            var entry = Entry.Parser.ParseFrom(it.Value);
            if (entry.Index != lo + (ulong)entries.Count)
            {
                throw new InvalidDataException($"raft log: found entry {entry.Index} where {lo + (ulong)entries.Count} belongs");
            }

            size += (ulong)entry.CalculateSize();
            if (entries.Count > 0 && size > maxSize)
            {
                break;
            }

            entries.Add(entry);
        }

        return entries;
    }

    public ulong Term(ulong index)
    {
        if (index < _compactedIndex)
        {
            throw new CompactedException();
        }

        if (index > _lastIndex)
        {
            throw new LogUnavailableException();
        }

        if (index == _compactedIndex)
        {
            return _compactedTerm;
        }

        if (_tail.TryGetTerm(index, out var term))
        {
            return term;
        }

        var bytes = _backend.Get(BackendTable.Raft, EntryKey(index))
            ?? throw new InvalidDataException($"raft log: entry {index} is missing");
        return Entry.Parser.ParseFrom(bytes).Term;
    }

    public ulong LastIndex() => _lastIndex;

    public ulong FirstIndex() => _compactedIndex + 1;

    public RaftSnapshot Snapshot() => new() { Metadata = _snapshot.Clone() };

    /// <summary>
    /// Persists what a <see cref="Ready"/> asks for in one batch, synced when
    /// <paramref name="sync"/> (<see cref="Ready.MustSync"/>): a snapshot received from the leader
    /// (which replaces the whole log), new entries (replacing any conflicting suffix; entries
    /// already compacted are skipped) and the hard state.
    /// </summary>
    public void Save(RaftSnapshot? snapshot, IReadOnlyList<Entry> entries, HardState? hardState, bool sync)
    {
        var compactedIndex = _compactedIndex;
        var compactedTerm = _compactedTerm;
        var lastIndex = _lastIndex;
        var snapshotMetadata = _snapshot;
        var replacedBySnapshot = false;
        using var batch = _backend.CreateBatch();
        if (snapshot is not null && snapshot.Metadata is { Index: > 0 } metadata)
        {
            if (metadata.Index <= _snapshot.Index)
            {
                throw new SnapshotOutOfDateException();
            }

            batch.DeleteRange(BackendTable.Raft, [EntryPrefix], [EntryPrefix + 1]);
            snapshotMetadata = metadata.Clone();
            snapshotMetadata.ConfState ??= new ConfState();
            batch.Put(BackendTable.Raft, SnapshotKey, snapshotMetadata.ToByteArray());
            (compactedIndex, compactedTerm, lastIndex) = (metadata.Index, metadata.Term, metadata.Index);
            batch.Put(BackendTable.Raft, CompactedKey, CompactedValue(compactedIndex, compactedTerm));
            replacedBySnapshot = true;
        }

        (lastIndex, var appendedFrom) = AppendTo(batch, entries, compactedIndex, lastIndex);
        if (hardState is not null && !IsEmpty(hardState))
        {
            batch.Put(BackendTable.Raft, HardStateKey, hardState.ToByteArray());
        }

        if (batch.Count == 0)
        {
            return;
        }

        _backend.Write(batch);
        if (sync)
        {
            _backend.Sync();
        }

        (_compactedIndex, _compactedTerm, _lastIndex, _snapshot) = (compactedIndex, compactedTerm, lastIndex, snapshotMetadata);
        if (replacedBySnapshot)
        {
            _tail.Clear();
        }

        _tail.Append(entries, appendedFrom);
        if (hardState is not null && !IsEmpty(hardState))
        {
            _hardState = hardState.Clone();
        }
    }

    /// <summary>
    /// Records a snapshot of the state machine as applied up to <paramref name="index"/> with
    /// configuration <paramref name="confState"/> (null keeps the previous one). The host calls it
    /// only for an index it has applied, whose effects are already in the backend.
    /// </summary>
    public RaftSnapshot CreateSnapshot(ulong index, ConfState? confState)
    {
        if (index <= _snapshot.Index)
        {
            throw new SnapshotOutOfDateException();
        }

        if (index > _lastIndex)
        {
            throw new InvalidOperationException($"snapshot {index} is out of bound lastindex({_lastIndex})");
        }

        var metadata = new SnapshotMetadata
        {
            Index = index,
            Term = Term(index),
            ConfState = (confState ?? _snapshot.ConfState ?? new ConfState()).Clone(),
        };
        using (var batch = _backend.CreateBatch())
        {
            batch.Put(BackendTable.Raft, SnapshotKey, metadata.ToByteArray());
            _backend.Write(batch);
        }

        _snapshot = metadata;
        return Snapshot();
    }

    /// <summary>Drops the entries up to <paramref name="compactIndex"/>, which becomes FirstIndex - 1.</summary>
    public void Compact(ulong compactIndex)
    {
        if (compactIndex <= _compactedIndex)
        {
            throw new CompactedException();
        }

        if (compactIndex > _lastIndex)
        {
            throw new InvalidOperationException($"compact {compactIndex} is out of bound lastindex({_lastIndex})");
        }

        var term = Term(compactIndex);
        using (var batch = _backend.CreateBatch())
        {
            batch.DeleteRange(BackendTable.Raft, [EntryPrefix], EntryKey(compactIndex + 1));
            batch.Put(BackendTable.Raft, CompactedKey, CompactedValue(compactIndex, term));
            _backend.Write(batch);
        }

        (_compactedIndex, _compactedTerm) = (compactIndex, term);
        _tail.DropThrough(compactIndex);
    }

    /// <summary>
    /// etcd's snapshot policy: once more than <paramref name="snapshotCount"/> entries were applied
    /// since the last snapshot, take one at <paramref name="applied"/> and drop the entries before
    /// it except the last <paramref name="catchUpEntries"/>, which slow followers may still need
    /// (so they catch up from the log rather than from a whole snapshot). Returns whether it did.
    /// </summary>
    public bool MaybeSnapshot(ulong applied, ConfState? confState, ulong snapshotCount, ulong catchUpEntries)
    {
        if (applied <= _snapshot.Index || applied - _snapshot.Index <= snapshotCount)
        {
            return false;
        }

        CreateSnapshot(applied, confState);
        if (applied > catchUpEntries && applied - catchUpEntries > _compactedIndex)
        {
            Compact(applied - catchUpEntries);
        }

        return true;
    }

    /// <summary>Puts <paramref name="entries"/> in the batch; returns the new last index and the first of them not already compacted.</summary>
    private static (ulong LastIndex, int From) AppendTo(IBackendBatch batch, IReadOnlyList<Entry> entries, ulong compactedIndex, ulong lastIndex)
    {
        if (entries.Count == 0)
        {
            return (lastIndex, 0);
        }

        var skip = entries[0].Index <= compactedIndex ? (int)Math.Min((ulong)entries.Count, compactedIndex + 1 - entries[0].Index) : 0;
        if (skip == entries.Count)
        {
            return (lastIndex, skip);
        }

        var first = entries[skip].Index;
        if (first > lastIndex + 1)
        {
            throw new InvalidOperationException($"missing log entry [last: {lastIndex}, append at: {first}]");
        }

        if (first <= lastIndex)
        {
            batch.DeleteRange(BackendTable.Raft, EntryKey(first), EntryKey(lastIndex + 1));
        }

        for (var i = skip; i < entries.Count; i++)
        {
            batch.Put(BackendTable.Raft, EntryKey(entries[i].Index), entries[i].ToByteArray());
        }

        return (entries[^1].Index, skip);
    }

    private static bool IsEmpty(HardState hardState) => hardState.Term == 0 && hardState.Vote == 0 && hardState.Commit == 0;

    private static byte[] EntryKey(ulong index)
    {
        var key = new byte[9];
        key[0] = EntryPrefix;
        BinaryPrimitives.WriteUInt64BigEndian(key.AsSpan(1), index);
        return key;
    }

    private static byte[] CompactedValue(ulong index, ulong term)
    {
        var value = new byte[16];
        BinaryPrimitives.WriteUInt64BigEndian(value, index);
        BinaryPrimitives.WriteUInt64BigEndian(value.AsSpan(8), term);
        return value;
    }
}
