using Google.Protobuf;
using MiniKube.Raft;
using MiniKube.Raft.Pb;
using RaftSnapshot = MiniKube.Raft.Pb.Snapshot;

namespace MiniKube.Store.Tests.Consensus;

/// <summary>
/// What every <see cref="IRaftStorage"/> must do, after etcd raft's storage_test.go: the reference
/// <see cref="MemoryRaftStorage"/> and the durable storage run these same tests.
/// </summary>
public abstract class RaftStorageContractTests : IDisposable
{
    /// <summary>A storage with nothing in it (a member that joins later).</summary>
    protected abstract IWritableRaftStorage CreateEmpty();

    /// <summary>A founding member's storage for the configuration <paramref name="voters"/>.</summary>
    protected abstract IWritableRaftStorage CreateBootstrapped(ConfState voters);

    public virtual void Dispose() => GC.SuppressFinalize(this);

    protected static Entry E(ulong index, ulong term, string data = "") =>
        new() { Index = index, Term = term, Data = ByteString.CopyFromUtf8(data) };

    protected static RaftSnapshot SnapshotAt(ulong index, ulong term, params ulong[] voters) =>
        new() { Metadata = new SnapshotMetadata { Index = index, Term = term, ConfState = new ConfState { Voters = { voters } } } };

    /// <summary>etcd's fixture: a snapshot at 3 (term 3), then entries 4..5 (or more) with term = index.</summary>
    private IWritableRaftStorage WithLog(ulong last)
    {
        var storage = CreateEmpty();
        storage.ApplySnapshot(SnapshotAt(3, 3, 1));
        var entries = new List<Entry>();
        for (var i = 4ul; i <= last; i++)
        {
            entries.Add(E(i, i));
        }

        storage.Append(entries);
        return storage;
    }

    private static List<(ulong Index, ulong Term)> Log(IRaftStorage storage)
    {
        var log = new List<(ulong, ulong)> { (storage.FirstIndex() - 1, storage.Term(storage.FirstIndex() - 1)) };
        if (storage.LastIndex() >= storage.FirstIndex())
        {
            log.AddRange(storage.Entries(storage.FirstIndex(), storage.LastIndex() + 1, ulong.MaxValue).Select(e => (e.Index, e.Term)));
        }

        return log;
    }

    [Fact]
    public void An_empty_storage_has_no_entries_and_an_empty_state()
    {
        var storage = CreateEmpty();
        Assert.Equal(1ul, storage.FirstIndex());
        Assert.Equal(0ul, storage.LastIndex());
        Assert.Equal(0ul, storage.Term(0));
        Assert.Throws<LogUnavailableException>(() => storage.Term(1));
        Assert.Throws<LogUnavailableException>(() => storage.Entries(1, 1, ulong.MaxValue));
        var (hardState, confState) = storage.InitialState();
        Assert.Equal(new HardState(), hardState);
        Assert.Empty(confState.Voters);
    }

    [Fact]
    public void A_bootstrapped_storage_starts_from_a_snapshot_at_index_1_holding_the_configuration()
    {
        var storage = CreateBootstrapped(new ConfState { Voters = { 1, 2, 3 } });
        Assert.Equal(2ul, storage.FirstIndex());
        Assert.Equal(1ul, storage.LastIndex());
        Assert.Equal(1ul, storage.Term(1));
        var (hardState, confState) = storage.InitialState();
        Assert.Equal(new HardState { Term = 1, Commit = 1 }, hardState);
        Assert.Equal([1ul, 2, 3], confState.Voters);
        Assert.Equal(1ul, storage.Snapshot().Metadata.Index);
        Assert.Equal([1ul, 2, 3], storage.Snapshot().Metadata.ConfState.Voters);
    }

    [Theory]
    [InlineData(2ul, "compacted", 0ul)]
    [InlineData(3ul, "", 3ul)]
    [InlineData(4ul, "", 4ul)]
    [InlineData(5ul, "", 5ul)]
    [InlineData(6ul, "unavailable", 0ul)]
    public void Term_answers_from_the_snapshot_index_to_the_last_index(ulong index, string error, ulong term)
    {
        var storage = WithLog(5);
        switch (error)
        {
            case "compacted":
                Assert.Throws<CompactedException>(() => storage.Term(index));
                break;
            case "unavailable":
                Assert.Throws<LogUnavailableException>(() => storage.Term(index));
                break;
            default:
                Assert.Equal(term, storage.Term(index));
                break;
        }
    }

    // maxSize is given in entries' sizes: -1 none, otherwise how many of entries 4, 5, 6 (in whole
    // entries) plus an adjustment in bytes.
    [Theory]
    [InlineData(2ul, 6ul, -1, 0, "compacted")]
    [InlineData(3ul, 4ul, -1, 0, "compacted")]
    [InlineData(4ul, 5ul, -1, 0, "4")]
    [InlineData(4ul, 6ul, -1, 0, "4,5")]
    [InlineData(4ul, 7ul, -1, 0, "4,5,6")]
    [InlineData(4ul, 7ul, 0, 0, "4")]
    [InlineData(4ul, 7ul, 2, 0, "4,5")]
    [InlineData(4ul, 7ul, 2, 1, "4,5")]
    [InlineData(4ul, 7ul, 3, -1, "4,5")]
    [InlineData(4ul, 7ul, 3, 0, "4,5,6")]
    public void Entries_returns_a_size_limited_slice_with_at_least_one_entry(ulong lo, ulong hi, int wholeEntries, int extraBytes, string expected)
    {
        var storage = WithLog(6);
        var size = (ulong)E(4, 4).CalculateSize();
        var maxSize = wholeEntries < 0 ? ulong.MaxValue : (ulong)((long)size * wholeEntries + extraBytes);
        if (expected == "compacted")
        {
            Assert.Throws<CompactedException>(() => storage.Entries(lo, hi, maxSize));
            return;
        }

        var got = storage.Entries(lo, hi, maxSize);
        Assert.Equal(expected, string.Join(",", got.Select(e => e.Index)));
        Assert.All(got, e => Assert.Equal(e.Index, e.Term));
    }

    [Fact]
    public void Entries_beyond_the_last_index_are_refused()
    {
        var storage = WithLog(5);
        Assert.Throws<InvalidOperationException>(() => storage.Entries(4, 7, ulong.MaxValue));
    }

    [Theory]
    [InlineData(2ul, true, 4ul, 3ul)]
    [InlineData(3ul, true, 4ul, 3ul)]
    [InlineData(4ul, false, 5ul, 4ul)]
    [InlineData(5ul, false, 6ul, 5ul)]
    public void Compact_drops_entries_up_to_the_index_and_keeps_its_term(ulong index, bool compacted, ulong firstIndex, ulong dummyTerm)
    {
        var storage = WithLog(5);
        if (compacted)
        {
            Assert.Throws<CompactedException>(() => storage.Compact(index));
        }
        else
        {
            storage.Compact(index);
        }

        Assert.Equal(firstIndex, storage.FirstIndex());
        Assert.Equal(5ul, storage.LastIndex());
        Assert.Equal(dummyTerm, storage.Term(firstIndex - 1));
        Assert.Throws<CompactedException>(() => storage.Entries(firstIndex - 1, 6, ulong.MaxValue));
    }

    [Fact]
    public void Compact_beyond_the_last_index_is_refused()
    {
        var storage = WithLog(5);
        Assert.Throws<InvalidOperationException>(() => storage.Compact(6));
    }

    [Theory]
    [InlineData("1/1,2/2", "3/3,4/4,5/5")]
    [InlineData("3/3,4/4,5/5", "3/3,4/4,5/5")]
    [InlineData("3/3,4/6,5/6", "3/3,4/6,5/6")]
    [InlineData("3/3,4/4,5/5,6/5", "3/3,4/4,5/5,6/5")]
    [InlineData("2/3,3/3,4/5", "3/3,4/5")]
    [InlineData("4/5", "3/3,4/5")]
    [InlineData("6/5", "3/3,4/4,5/5,6/5")]
    public void Append_skips_compacted_entries_and_replaces_a_conflicting_suffix(string appended, string expected)
    {
        var storage = WithLog(5);
        storage.Append([.. appended.Split(',').Select(Parse)]);
        Assert.Equal(expected, string.Join(",", Log(storage).Select(e => $"{e.Index}/{e.Term}")));
    }

    [Fact]
    public void Append_with_a_gap_after_the_last_index_is_refused()
    {
        var storage = WithLog(5);
        Assert.Throws<InvalidOperationException>(() => storage.Append([E(7, 5)]));
        Assert.Equal(5ul, storage.LastIndex());
    }

    [Fact]
    public void Appended_entries_keep_their_type_and_data()
    {
        var storage = CreateBootstrapped(new ConfState { Voters = { 1 } });
        var conf = new Entry { Index = 2, Term = 1, Type = EntryType.EntryConfChange, Data = ByteString.CopyFromUtf8("cc") };
        storage.Append([conf, E(3, 1, "put a=1")]);
        var got = storage.Entries(2, 4, ulong.MaxValue);
        Assert.Equal(conf, got[0]);
        Assert.Equal("put a=1", got[1].Data.ToStringUtf8());
    }

    [Fact]
    public void Hard_state_is_returned_by_initial_state()
    {
        var storage = CreateBootstrapped(new ConfState { Voters = { 1, 2 } });
        storage.Append([E(2, 2), E(3, 2)]);
        storage.SetHardState(new HardState { Term = 2, Vote = 2, Commit = 3 });
        var (hardState, confState) = storage.InitialState();
        Assert.Equal(new HardState { Term = 2, Vote = 2, Commit = 3 }, hardState);
        Assert.Equal([1ul, 2], confState.Voters);
    }

    [Fact]
    public void Create_snapshot_records_the_index_term_and_configuration()
    {
        var storage = WithLog(6);
        var snapshot = storage.CreateSnapshot(5, new ConfState { Voters = { 1, 2, 3 } }, ByteString.Empty);
        Assert.Equal(5ul, snapshot.Metadata.Index);
        Assert.Equal(5ul, snapshot.Metadata.Term);
        Assert.Equal([1ul, 2, 3], storage.Snapshot().Metadata.ConfState.Voters);
        Assert.Equal([1ul, 2, 3], storage.InitialState().ConfState.Voters);

        // The snapshot alone does not drop entries: that is Compact's job.
        Assert.Equal(4ul, storage.FirstIndex());
        Assert.Throws<SnapshotOutOfDateException>(() => storage.CreateSnapshot(5, null, ByteString.Empty));
        Assert.Throws<InvalidOperationException>(() => storage.CreateSnapshot(7, null, ByteString.Empty));

        var kept = storage.CreateSnapshot(6, null, ByteString.Empty);
        Assert.Equal([1ul, 2, 3], kept.Metadata.ConfState.Voters);
    }

    [Fact]
    public void Apply_snapshot_replaces_the_log_and_refuses_an_older_one()
    {
        var storage = WithLog(6);
        storage.ApplySnapshot(SnapshotAt(10, 4, 1, 2, 3));
        Assert.Equal(11ul, storage.FirstIndex());
        Assert.Equal(10ul, storage.LastIndex());
        Assert.Equal(4ul, storage.Term(10));
        Assert.Throws<CompactedException>(() => storage.Term(6));
        Assert.Equal([1ul, 2, 3], storage.InitialState().ConfState.Voters);
        Assert.Throws<SnapshotOutOfDateException>(() => storage.ApplySnapshot(SnapshotAt(10, 4, 1)));
        Assert.Throws<SnapshotOutOfDateException>(() => storage.ApplySnapshot(SnapshotAt(9, 4, 1)));
        storage.Append([E(11, 4)]);
        Assert.Equal(11ul, storage.LastIndex());
    }

    private static Entry Parse(string indexSlashTerm)
    {
        var parts = indexSlashTerm.Split('/');
        return E(ulong.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture), ulong.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture));
    }
}
