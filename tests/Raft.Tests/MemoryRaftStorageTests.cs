using Google.Protobuf;
using MiniKube.Raft.Pb;
using static MiniKube.Raft.Tests.TestRaft;

namespace MiniKube.Raft.Tests;

public sealed class MemoryRaftStorageTests
{
    // Entries 3/3, 4/4, 5/5 after a snapshot at 3 (etcd storage_test.go's fixture).
    private static MemoryRaftStorage Compacted()
    {
        var s = new MemoryRaftStorage();
        s.Append([Entry(1, 1), Entry(2, 2), Entry(3, 3), Entry(4, 4), Entry(5, 5)]);
        s.CreateSnapshot(3, new ConfState { Voters = { 1 } }, ByteString.Empty);
        s.Compact(3);
        return s;
    }

    [Theory]
    [InlineData(2UL, null)]
    [InlineData(3UL, 3UL)]
    [InlineData(4UL, 4UL)]
    [InlineData(5UL, 5UL)]
    public void Term_is_known_from_the_snapshot_index_on_and_compacted_before(ulong index, ulong? expected)
    {
        var s = Compacted();
        if (expected is null)
        {
            Assert.Throws<CompactedException>(() => s.Term(index));
        }
        else
        {
            Assert.Equal(expected, s.Term(index));
        }
        Assert.Throws<LogUnavailableException>(() => s.Term(6));
    }

    [Theory]
    [InlineData(3UL, 6UL, ulong.MaxValue, null)]
    [InlineData(4UL, 6UL, ulong.MaxValue, new ulong[] { 4, 5 })]
    [InlineData(4UL, 5UL, ulong.MaxValue, new ulong[] { 4 })]
    [InlineData(4UL, 6UL, 0UL, new ulong[] { 4 })] // at least one entry, whatever the limit
    public void Entries_are_limited_by_size_and_compaction(ulong lo, ulong hi, ulong maxSize, ulong[]? expected)
    {
        var s = Compacted();
        if (expected is null)
        {
            Assert.Throws<CompactedException>(() => s.Entries(lo, hi, maxSize));
        }
        else
        {
            Assert.Equal(expected, s.Entries(lo, hi, maxSize).Select(e => e.Index));
        }
    }

    [Fact]
    public void Append_replaces_a_conflicting_suffix_and_skips_compacted_entries()
    {
        var s = Compacted();
        s.Append([Entry(2, 2), Entry(3, 3), Entry(4, 6), Entry(5, 6), Entry(6, 6)]);
        Assert.Equal(6UL, s.LastIndex());
        Assert.Equal(6UL, s.Term(4));
        Assert.Equal(4UL, s.FirstIndex());
        Assert.Throws<InvalidOperationException>(() => s.Append([Entry(9, 6)]));
    }

    [Fact]
    public void ApplySnapshot_refuses_an_older_snapshot_and_resets_the_log_to_a_newer_one()
    {
        var s = Compacted();
        var older = new Snapshot { Metadata = new SnapshotMetadata { Index = 2, Term = 2, ConfState = new ConfState() } };
        Assert.Throws<SnapshotOutOfDateException>(() => s.ApplySnapshot(older));
        var newer = new Snapshot { Metadata = new SnapshotMetadata { Index = 10, Term = 7, ConfState = new ConfState { Voters = { 1, 2 } } } };
        s.ApplySnapshot(newer);
        Assert.Equal((11UL, 10UL, 7UL), (s.FirstIndex(), s.LastIndex(), s.Term(10)));
        Assert.Equal([1UL, 2], s.InitialState().ConfState.Voters);
    }

    [Fact]
    public void Founding_member_storage_starts_from_a_snapshot_holding_the_configuration()
    {
        var s = new MemoryRaftStorage(new ConfState { Voters = { 1, 2, 3 } });
        Assert.Equal((2UL, 1UL), (s.FirstIndex(), s.LastIndex()));
        Assert.Equal([1UL, 2, 3], s.Snapshot().Metadata.ConfState.Voters);
        Assert.Equal(1UL, s.InitialState().HardState.Commit);
    }
}
