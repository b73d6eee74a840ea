using Google.Protobuf;
using MiniKube.Raft.Pb;
using MiniKube.Store.Consensus;

namespace MiniKube.Store.Tests.Consensus;

public sealed class RaftLogTailTests
{
    private static Entry E(ulong index, ulong term, int dataBytes = 0) =>
        new() { Index = index, Term = term, Data = ByteString.CopyFrom(new byte[dataBytes]) };

    private static string Held(RaftLogTail tail) =>
        tail.Count == 0 ? "" : string.Join(",", Slice(tail, tail.First, tail.Last + 1)!.Select(e => $"{e.Index}/{e.Term}"));

    private static List<Entry>? Slice(RaftLogTail tail, ulong lo, ulong hi, ulong maxSize = ulong.MaxValue) =>
        tail.TrySlice(lo, hi, maxSize, out var entries) ? entries : null;

    [Fact]
    public void Holds_what_was_appended_and_answers_only_inside_it()
    {
        var tail = new RaftLogTail(100, 1 << 20);
        tail.Append([E(4, 1), E(5, 1), E(6, 2)], 0);

        Assert.Equal("4/1,5/1,6/2", Held(tail));
        Assert.True(tail.TryGetTerm(6, out var term));
        Assert.Equal(2ul, term);
        Assert.False(tail.TryGetTerm(3, out _));
        Assert.False(tail.TryGetTerm(7, out _));
        Assert.Null(Slice(tail, 3, 5));
        Assert.Null(Slice(tail, 5, 8));
        Assert.Equal([5ul, 6ul], Slice(tail, 5, 7)!.Select(e => e.Index));
    }

    [Theory]
    [InlineData(0, "4/1")] // at least one entry, as the storage answers
    [InlineData(2, "4/1,5/1")]
    [InlineData(3, "4/1,5/1,6/1")]
    public void A_slice_stops_at_the_size_limit_as_the_storage_does(int wholeEntries, string expected)
    {
        var tail = new RaftLogTail(100, 1 << 20);
        tail.Append([E(4, 1, 10), E(5, 1, 10), E(6, 1, 10)], 0);
        var size = (ulong)E(4, 1, 10).CalculateSize();

        Assert.Equal(expected, string.Join(",", Slice(tail, 4, 7, size * (ulong)wholeEntries)!.Select(e => $"{e.Index}/{e.Term}")));
    }

    [Theory]
    [InlineData("5/3", "4/1,5/3")] // a follower's conflicting suffix is replaced
    [InlineData("6/3,7/3", "4/1,5/1,6/3,7/3")]
    [InlineData("7/3", "4/1,5/1,6/1,7/3")]
    [InlineData("4/3", "4/3")]
    [InlineData("2/3", "2/3")] // replaces everything held
    [InlineData("9/3", "9/3")] // a gap: starts afresh rather than hold a hole
    public void Appending_replaces_what_is_held_from_the_first_new_index_on(string appended, string expected)
    {
        var tail = new RaftLogTail(100, 1 << 20);
        tail.Append([E(4, 1), E(5, 1), E(6, 1)], 0);

        tail.Append([.. appended.Split(',').Select(p => p.Split('/')).Select(p => E(ulong.Parse(p[0]), ulong.Parse(p[1])))], 0);

        Assert.Equal(expected, Held(tail));
    }

    [Fact]
    public void Entries_before_the_given_position_are_not_taken()
    {
        var tail = new RaftLogTail(100, 1 << 20);
        tail.Append([E(3, 1), E(4, 1), E(5, 1)], 2);

        Assert.Equal("5/1", Held(tail));
    }

    [Fact]
    public void The_oldest_entries_go_once_the_entry_or_byte_budget_is_exceeded()
    {
        var byCount = new RaftLogTail(3, 1 << 20);
        byCount.Append([.. Enumerable.Range(1, 5).Select(i => E((ulong)i, 1))], 0);
        Assert.Equal("3/1,4/1,5/1", Held(byCount));

        var entrySize = E(1, 1, 100).CalculateSize();
        var byBytes = new RaftLogTail(100, entrySize * 2 + 1);
        byBytes.Append([E(1, 1, 100), E(2, 1, 100)], 0);
        byBytes.Append([E(3, 1, 100)], 0);
        Assert.Equal("2/1,3/1", Held(byBytes));
        Assert.Equal(entrySize * 2, byBytes.Bytes);

        var tooLarge = new RaftLogTail(100, 50);
        tooLarge.Append([E(1, 1, 100)], 0);
        Assert.Equal(0, tooLarge.Count);
    }

    [Fact]
    public void Dropping_through_an_index_forgets_the_entries_up_to_it()
    {
        var tail = new RaftLogTail(100, 1 << 20);
        tail.Append([E(4, 1), E(5, 1), E(6, 1)], 0);

        tail.DropThrough(5);
        Assert.Equal("6/1", Held(tail));

        tail.DropThrough(9);
        Assert.Equal(0, tail.Count);
        Assert.Equal(0, tail.Bytes);
        Assert.False(tail.TryGetTerm(6, out _));
    }

    [Fact]
    public void A_long_run_of_appends_and_drops_keeps_the_newest_entries_in_order()
    {
        // Crosses the bulk reclaim of dropped slots many times.
        var tail = new RaftLogTail(1500, long.MaxValue);
        for (var i = 1ul; i <= 10_000; i++)
        {
            tail.Append([E(i, i)], 0);
        }

        Assert.Equal(1500, tail.Count);
        Assert.Equal(8501ul, tail.First);
        Assert.Equal(10_000ul, tail.Last);
        Assert.All(Slice(tail, 8501, 10_001)!, (e, i) => Assert.Equal(8501ul + (ulong)i, e.Term));
    }
}
