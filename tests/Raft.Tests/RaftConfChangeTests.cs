using Google.Protobuf;
using MiniKube.Raft.Pb;
using static MiniKube.Raft.Tests.TestRaft;

namespace MiniKube.Raft.Tests;

public sealed class RaftConfChangeTests
{
    private static ConfChange Change(ConfChangeType type, ulong id) => new() { Type = type, NodeId = id };

    private static Message ProposeConfChange(ulong at, ConfChange cc)
    {
        var m = Msg(MessageType.MsgProp, at, at);
        m.Entries.Add(new Entry { Type = EntryType.EntryConfChange, Data = cc.ToByteString() });
        return m;
    }

    [Theory]
    [InlineData(ConfChangeType.ConfChangeAddNode, 4UL, new ulong[] { 1, 2, 3, 4 }, new ulong[] { 5 })]
    [InlineData(ConfChangeType.ConfChangeAddLearnerNode, 4UL, new ulong[] { 1, 2, 3 }, new ulong[] { 4, 5 })]
    [InlineData(ConfChangeType.ConfChangeRemoveNode, 3UL, new ulong[] { 1, 2 }, new ulong[] { 5 })]
    [InlineData(ConfChangeType.ConfChangeAddNode, 5UL, new ulong[] { 1, 2, 3, 5 }, new ulong[0])] // promotes learner 5
    [InlineData(ConfChangeType.ConfChangeRemoveNode, 5UL, new ulong[] { 1, 2, 3 }, new ulong[0])]
    [InlineData(ConfChangeType.ConfChangeUpdateNode, 2UL, new ulong[] { 1, 2, 3 }, new ulong[] { 5 })]
    public void Applying_a_conf_change_returns_the_new_configuration(ConfChangeType type, ulong id, ulong[] voters, ulong[] learners)
    {
        var r = New(1, Storage([1UL, 2, 3], [5UL]));
        var cs = r.ApplyConfChange(Change(type, id));
        Assert.Equal(voters, cs.Voters);
        Assert.Equal(learners, cs.Learners);
        Assert.Equal(voters, r.Tracker.Voters);
        Assert.Equal(learners.Concat(voters).Order(), r.Tracker.Progress.Keys);
        Assert.Equal(learners.Contains(id), r.Tracker.Progress.TryGetValue(id, out var pr) && pr.IsLearner);
    }

    [Fact]
    public void Removing_the_last_voter_is_refused()
    {
        var r = New(1, Storage([1UL]));
        Assert.Throws<InvalidOperationException>(() => r.ApplyConfChange(Change(ConfChangeType.ConfChangeRemoveNode, 1)));
        Assert.Equal([1UL], r.Tracker.Voters);
    }

    [Fact]
    public void Leader_accepts_only_one_pending_conf_change_at_a_time()
    {
        var storage = Storage([1UL, 2]);
        var r = New(1, storage);
        r.BecomeCandidate();
        r.BecomeLeader();
        r.Step(ProposeConfChange(1, Change(ConfChangeType.ConfChangeAddNode, 3)));
        Assert.Equal(EntryType.EntryConfChange, r.Log.AllEntries()[^1].Type);
        var pendingIndex = r.Log.LastIndex();

        // The first is not applied yet: a second one becomes an empty normal entry.
        r.Step(ProposeConfChange(1, Change(ConfChangeType.ConfChangeAddNode, 4)));
        var refused = r.Log.AllEntries()[^1];
        Assert.Equal(pendingIndex + 1, refused.Index);
        Assert.Equal(EntryType.EntryNormal, refused.Type);
        Assert.True(refused.Data.IsEmpty);

        // Once the host has applied the first, the next one is accepted.
        r.Step(Msg(MessageType.MsgAppResp, 2, 1, term: r.Term, index: r.Log.LastIndex()));
        PersistAndApply(r, storage);
        Assert.True(r.Log.Applied >= pendingIndex);
        r.Step(ProposeConfChange(1, Change(ConfChangeType.ConfChangeAddNode, 4)));
        Assert.Equal(EntryType.EntryConfChange, r.Log.AllEntries()[^1].Type);
    }

    [Fact]
    public void Added_node_catches_up_and_counts_towards_the_quorum()
    {
        var net = Network.Create(3);
        net.Campaign(1);
        var s4 = new MemoryRaftStorage();
        net.Peers[4] = New(4, s4);
        net.Storage[4] = s4;
        net.Propose(1, "before");
        foreach (var id in new ulong[] { 1, 2, 3 })
        {
            net[id].ApplyConfChange(Change(ConfChangeType.ConfChangeAddNode, 4));
        }
        net.Heartbeat(1);
        Assert.Equal(net[1].Log.LastIndex(), net[4].Log.LastIndex());
        Assert.Equal([1UL, 2, 3, 4], net[1].Tracker.Voters);
        // With 4 voters a quorum is 3: losing two nodes stops commits.
        net.Isolate(3);
        net.Isolate(4);
        var commit = net[1].Log.Committed;
        net.Propose(1, "needs three");
        Assert.Equal(commit, net[1].Log.Committed);
    }

    [Fact]
    public void Learner_receives_entries_but_does_not_count_towards_the_quorum()
    {
        var net = Network.Create(2);
        var s3 = TestRaft.Storage([1UL, 2], [3UL]);
        net.Peers[3] = New(3, s3);
        foreach (var id in new ulong[] { 1, 2 })
        {
            net[id].ApplyConfChange(Change(ConfChangeType.ConfChangeAddLearnerNode, 3));
        }
        net.Campaign(1);
        net.Propose(1, "x");
        Assert.Equal(2UL, net[3].Log.Committed);
        Assert.True(net[3].IsLearner);

        net.Isolate(2);
        net.Propose(1, "y");
        // Leader and learner have it, but only one of two voters: not committed.
        Assert.Equal(3UL, net[3].Log.LastIndex());
        Assert.Equal(2UL, net[1].Log.Committed);

        // Promoting the learner makes it count.
        foreach (var id in new ulong[] { 1, 3 })
        {
            net[id].ApplyConfChange(Change(ConfChangeType.ConfChangeAddNode, 3));
        }
        Assert.False(net[3].IsLearner);
        net.Heartbeat(1);
        Assert.Equal(3UL, net[1].Log.Committed);
    }

    [Fact]
    public void Leader_commits_with_the_smaller_quorum_after_a_node_is_removed()
    {
        var net = Network.Create(2);
        net.Campaign(1);
        net.Isolate(2);
        net.Propose(1, "x");
        Assert.Equal(1UL, net[1].Log.Committed);
        net[1].ApplyConfChange(Change(ConfChangeType.ConfChangeRemoveNode, 2));
        // Alone, the leader is the whole quorum now.
        Assert.Equal(2UL, net[1].Log.Committed);
    }

    [Fact]
    public void Leader_that_removed_itself_drops_proposals_and_no_longer_campaigns()
    {
        var net = Network.Create(3);
        net.Campaign(1);
        net[1].ApplyConfChange(Change(ConfChangeType.ConfChangeRemoveNode, 1));
        var m = Msg(MessageType.MsgProp, 1, 1);
        m.Entries.Add(new Entry());
        Assert.Throws<ProposalDroppedException>(() => net[1].Step(m));
        Assert.False(net[1].Promotable());
    }

    [Fact]
    public void Node_does_not_campaign_while_a_committed_conf_change_is_unapplied()
    {
        var storage = Storage([1UL, 2]);
        storage.Append([new Entry { Index = 1, Term = 1, Type = EntryType.EntryConfChange, Data = Change(ConfChangeType.ConfChangeAddNode, 3).ToByteString() }]);
        var r = New(1, storage);
        r.BecomeFollower(1, 0);
        r.Log.CommitTo(1);
        r.Step(Msg(MessageType.MsgHup, 1, 1));
        Assert.Equal(RaftRole.Follower, r.State);
        r.Log.AppliedTo(1);
        r.Step(Msg(MessageType.MsgHup, 1, 1));
        Assert.Equal(RaftRole.Candidate, r.State);
    }

    [Fact]
    public void RawNode_proposes_a_conf_change_that_commits_and_applies_through_ready()
    {
        var storage = new MemoryRaftStorage(new ConfState { Voters = { 1 } });
        var node = new RawNode(new RaftConfig { Id = 1, Storage = storage });
        node.Campaign();
        var applied = new List<Entry>();
        ConfState? cs = null;
        void Drain()
        {
            while (node.HasReady())
            {
                var rd = node.Ready();
                storage.Append(rd.Entries);
                if (rd.HardState is { } hs)
                {
                    storage.SetHardState(hs);
                }
                foreach (var e in rd.CommittedEntries)
                {
                    applied.Add(e);
                    if (e.Type == EntryType.EntryConfChange)
                    {
                        cs = node.ApplyConfChange(ConfChange.Parser.ParseFrom(e.Data));
                    }
                }
                node.Advance(rd);
            }
        }
        Drain();
        node.ProposeConfChange(Change(ConfChangeType.ConfChangeAddLearnerNode, 2));
        Drain();
        Assert.NotNull(cs);
        Assert.Equal([2UL], cs.Learners);
        Assert.Equal(EntryType.EntryConfChange, applied[^1].Type);
        Assert.Contains(2UL, node.Status().Progress.Keys);
    }
}
