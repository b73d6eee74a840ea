using Google.Protobuf;
using MiniKube.Raft;
using MiniKube.Raft.Pb;
using MiniKube.Store.Backend;
using MiniKube.Store.Consensus;
using RaftSnapshot = MiniKube.Raft.Pb.Snapshot;

namespace MiniKube.Store.Tests.Consensus;

/// <summary>What the durable storage adds to the contract: one batch per Ready, crashes, reopening, compaction policy.</summary>
public sealed class RaftLogStorageTests
{
    private static Entry E(ulong index, ulong term) => new() { Index = index, Term = term, Data = ByteString.CopyFromUtf8($"w{index}") };

    private static List<Entry> Range(ulong from, ulong to, ulong term)
    {
        var entries = new List<Entry>();
        for (var i = from; i <= to; i++)
        {
            entries.Add(E(i, term));
        }

        return entries;
    }

    [Fact]
    public void Save_syncs_once_per_ready_and_only_when_asked()
    {
        var backend = new InMemoryBackend();
        var storage = RaftLogStorage.Open(backend, new ConfState { Voters = { 1 } });
        var syncs = backend.SyncCount;

        storage.Save(null, Range(2, 4, 2), new HardState { Term = 2, Vote = 1, Commit = 1 }, sync: true);
        Assert.Equal(syncs + 1, backend.SyncCount);

        storage.Save(null, [], new HardState { Term = 2, Vote = 1, Commit = 4 }, sync: false);
        Assert.Equal(syncs + 1, backend.SyncCount);
        Assert.Equal(4ul, storage.InitialState().HardState.Commit);
    }

    [Fact]
    public void A_crash_keeps_synced_saves_and_loses_unsynced_ones_whole()
    {
        var backend = new InMemoryBackend();
        var storage = RaftLogStorage.Open(backend, new ConfState { Voters = { 1 } });
        storage.Save(null, Range(2, 3, 2), new HardState { Term = 2, Vote = 1, Commit = 2 }, sync: true);
        storage.Save(null, Range(3, 5, 3), new HardState { Term = 3, Vote = 1, Commit = 3 }, sync: false);

        var recovered = RaftLogStorage.Open(backend.CrashAndRecover());

        Assert.Equal(3ul, recovered.LastIndex());
        Assert.Equal(2ul, recovered.Term(3));
        Assert.Equal(new HardState { Term = 2, Vote = 1, Commit = 2 }, recovered.InitialState().HardState);
        Assert.Equal([1ul], recovered.InitialState().ConfState.Voters);
    }

    [Fact]
    public void Opening_with_a_configuration_does_not_bootstrap_again_over_an_existing_log()
    {
        var backend = new InMemoryBackend();
        var storage = RaftLogStorage.Open(backend, new ConfState { Voters = { 1, 2, 3 } });
        storage.Save(null, Range(2, 6, 2), new HardState { Term = 2, Commit = 6 }, sync: true);

        var reopened = RaftLogStorage.Open(backend, new ConfState { Voters = { 7 } });

        Assert.Equal(6ul, reopened.LastIndex());
        Assert.Equal([1ul, 2, 3], reopened.InitialState().ConfState.Voters);
        Assert.Equal(6ul, reopened.InitialState().HardState.Commit);
    }

    [Fact]
    public void A_received_snapshot_and_the_entries_after_it_are_saved_in_one_batch()
    {
        var backend = new InMemoryBackend();
        var storage = RaftLogStorage.Open(backend);
        var snapshot = new RaftSnapshot { Metadata = new SnapshotMetadata { Index = 20, Term = 3, ConfState = new ConfState { Voters = { 1, 2, 3 } } } };

        storage.Save(snapshot, Range(21, 22, 3), new HardState { Term = 3, Commit = 20 }, sync: false);
        var lost = RaftLogStorage.Open(backend.CrashAndRecover());
        backend.Sync();
        var kept = RaftLogStorage.Open(backend.CrashAndRecover());

        Assert.Equal(0ul, lost.LastIndex());
        Assert.Empty(lost.InitialState().ConfState.Voters);
        Assert.Equal(21ul, kept.FirstIndex());
        Assert.Equal(22ul, kept.LastIndex());
        Assert.Equal(3ul, kept.Term(20));
        Assert.Equal([1ul, 2, 3], kept.Snapshot().Metadata.ConfState.Voters);
    }

    [Theory]
    [InlineData(11ul, false, 1ul, 2ul)]
    [InlineData(12ul, true, 12ul, 8ul)]
    [InlineData(30ul, true, 30ul, 26ul)]
    public void Maybe_snapshot_follows_the_snapshot_count_and_keeps_catch_up_entries(ulong applied, bool taken, ulong snapshotIndex, ulong firstIndex)
    {
        var backend = new InMemoryBackend();
        var storage = RaftLogStorage.Open(backend, new ConfState { Voters = { 1 } });
        storage.Save(null, Range(2, 30, 2), new HardState { Term = 2, Commit = 30 }, sync: true);

        Assert.Equal(taken, storage.MaybeSnapshot(applied, null, snapshotCount: 10, catchUpEntries: 5));

        Assert.Equal(snapshotIndex, storage.Snapshot().Metadata.Index);
        Assert.Equal(firstIndex, storage.FirstIndex());
        Assert.Equal(30ul, storage.LastIndex());
        Assert.Equal([1ul], storage.Snapshot().Metadata.ConfState.Voters);
        var reopened = RaftLogStorage.Open(backend);
        Assert.Equal(firstIndex, reopened.FirstIndex());
        Assert.Equal(snapshotIndex, reopened.Snapshot().Metadata.Index);
        Assert.Throws<CompactedException>(() => reopened.Entries(firstIndex - 1, 31, ulong.MaxValue));
        Assert.Equal(30 - (int)firstIndex + 1, reopened.Entries(firstIndex, 31, ulong.MaxValue).Count);
    }

    [Fact]
    public void The_log_survives_closing_and_reopening_the_database()
    {
        using var directory = new TempDirectory();
        using (var backend = RocksDbBackend.Open(directory.Path))
        {
            var storage = RaftLogStorage.Open(backend, new ConfState { Voters = { 1, 2, 3 } });
            storage.Save(null, Range(2, 9, 2), new HardState { Term = 2, Vote = 3, Commit = 9 }, sync: true);
            storage.Save(null, Range(7, 8, 3), new HardState { Term = 3, Vote = 3, Commit = 6 }, sync: true);
            storage.Compact(4);
        }

        using (var backend = RocksDbBackend.Open(directory.Path))
        {
            var storage = RaftLogStorage.Open(backend);
            Assert.Equal(5ul, storage.FirstIndex());
            Assert.Equal(8ul, storage.LastIndex());
            Assert.Equal([2ul, 2, 3, 3], storage.Entries(5, 9, ulong.MaxValue).Select(e => e.Term));
            Assert.Equal("w8", storage.Entries(8, 9, ulong.MaxValue)[0].Data.ToStringUtf8());
            Assert.Equal(new HardState { Term = 3, Vote = 3, Commit = 6 }, storage.InitialState().HardState);
        }
    }
}
