using Google.Protobuf;
using MiniKube.Raft.Pb;

namespace MiniKube.Raft.Tests;

public sealed class RawNodeTests
{
    private static (RawNode Node, MemoryRaftStorage Storage) SingleNode()
    {
        var storage = new MemoryRaftStorage(new ConfState { Voters = { 1 } });
        return (new RawNode(new RaftConfig { Id = 1, Storage = storage, RandomSeed = 1 }), storage);
    }

    private static Ready Handle(RawNode node, MemoryRaftStorage storage)
    {
        var rd = node.Ready();
        storage.Append(rd.Entries);
        if (rd.HardState is { } hs)
        {
            storage.SetHardState(hs);
        }
        node.Advance(rd);
        return rd;
    }

    [Fact]
    public void Ready_reports_a_new_leader_its_entry_and_the_commit_then_nothing_more_when_advanced()
    {
        var (node, storage) = SingleNode();
        Assert.False(node.HasReady());
        node.Campaign();
        Assert.True(node.HasReady());
        var rd = Handle(node, storage);
        Assert.Equal(new SoftState(1, RaftRole.Leader), rd.SoftState);
        Assert.Equal(2UL, rd.HardState!.Term);
        Assert.True(rd.MustSync);
        // Alone, the leader commits its entry at once; it is both persisted and applied now.
        Assert.Equal([2UL], rd.Entries.Select(e => e.Index));
        Assert.Equal([2UL], rd.CommittedEntries.Select(e => e.Index));
        Assert.False(node.HasReady());
        Assert.Equal(2UL, node.Status().Applied);
    }

    [Fact]
    public void Ready_needs_no_sync_when_only_the_commit_index_changed()
    {
        var storage = new MemoryRaftStorage(new ConfState { Voters = { 1, 2 } });
        var node = new RawNode(new RaftConfig { Id = 1, Storage = storage });
        node.Campaign();
        Handle(node, storage);
        node.Step(new Message { Type = MessageType.MsgVoteResp, From = 2, To = 1, Term = 2 });
        var rd = Handle(node, storage);
        Assert.True(rd.MustSync);
        Assert.NotEmpty(rd.Entries);
        node.Step(new Message { Type = MessageType.MsgAppResp, From = 2, To = 1, Term = 2, Index = 2 });
        rd = Handle(node, storage);
        Assert.Equal(2UL, rd.HardState!.Commit);
        Assert.False(rd.MustSync);
        Assert.Single(rd.CommittedEntries);
    }

    [Fact]
    public void Ready_hands_messages_over_once_when_taken_twice_before_advance()
    {
        var storage = new MemoryRaftStorage(new ConfState { Voters = { 1, 2, 3 } });
        var node = new RawNode(new RaftConfig { Id = 1, Storage = storage });
        node.Campaign();
        var first = node.Ready();
        Assert.Equal(2, first.Messages.Count);
        var second = node.Ready();
        Assert.Empty(second.Messages);
    }

    [Fact]
    public void Restarted_node_does_not_hand_out_entries_applied_before_the_restart()
    {
        var (node, storage) = SingleNode();
        node.Campaign();
        Handle(node, storage);
        node.Propose(ByteString.CopyFromUtf8("a"));
        node.Propose(ByteString.CopyFromUtf8("b"));
        var rd = Handle(node, storage);
        Assert.Equal(["a", "b"], rd.CommittedEntries.Select(e => e.Data.ToStringUtf8()));

        var restarted = new RawNode(new RaftConfig { Id = 1, Storage = storage, Applied = 3 });
        var again = restarted.Ready();
        Assert.Equal(["b"], again.CommittedEntries.Select(e => e.Data.ToStringUtf8()));
        Assert.Equal(4UL, restarted.Status().Commit);
    }

    [Fact]
    public void Step_refuses_local_messages_and_ignores_responses_from_unknown_peers()
    {
        var (node, _) = SingleNode();
        Assert.Throws<ArgumentException>(() => node.Step(new Message { Type = MessageType.MsgHup, From = 1 }));
        Assert.False(node.Step(new Message { Type = MessageType.MsgAppResp, From = 9, Term = 1 }));
    }

    [Fact]
    public void ReportUnreachable_moves_a_replicating_follower_back_to_probe()
    {
        var storage = new MemoryRaftStorage(new ConfState { Voters = { 1, 2 } });
        var node = new RawNode(new RaftConfig { Id = 1, Storage = storage });
        node.Campaign();
        node.Step(new Message { Type = MessageType.MsgVoteResp, From = 2, To = 1, Term = 2 });
        node.Step(new Message { Type = MessageType.MsgAppResp, From = 2, To = 1, Term = 2, Index = 2 });
        Assert.Equal(ProgressState.Replicate, node.Status().Progress[2].State);
        node.ReportUnreachable(2);
        Assert.Equal(ProgressState.Probe, node.Status().Progress[2].State);
    }

    [Fact]
    public void Status_reports_progress_only_on_the_leader()
    {
        var (node, storage) = SingleNode();
        Assert.Empty(node.Status().Progress);
        node.Campaign();
        Handle(node, storage);
        var status = node.Status();
        Assert.Equal((1UL, 2UL, RaftRole.Leader, 1UL), (status.Id, status.Term, status.Role, status.Lead));
        Assert.Equal(2UL, status.Progress[1].Match);
    }
}
