using Google.Protobuf;
using MiniKube.Raft.Pb;
using static MiniKube.Raft.Tests.TestRaft;

namespace MiniKube.Raft.Tests;

public sealed class RaftReplicationTests
{
    [Fact]
    public void Proposal_at_the_leader_is_replicated_and_committed_on_every_node()
    {
        var net = Network.Create(3);
        net.Campaign(1);
        net.Propose(1, "a");
        net.Propose(1, "b");
        foreach (var p in net.Peers.Values)
        {
            Assert.Equal(3UL, p!.Log.Committed);
            Assert.Equal(["", "a", "b"], p.Log.AllEntries().Select(e => e.Data.ToStringUtf8()));
        }
    }

    [Fact]
    public void Proposal_at_a_follower_is_forwarded_to_the_leader()
    {
        var net = Network.Create(3);
        net.Campaign(1);
        net.Propose(2, "via follower");
        Assert.Equal(2UL, net[1].Log.Committed);
        Assert.Equal("via follower", net[3].Log.AllEntries()[^1].Data.ToStringUtf8());
    }

    [Theory]
    [InlineData(RaftRole.Follower)]
    [InlineData(RaftRole.Candidate)]
    [InlineData(RaftRole.PreCandidate)]
    public void Proposal_is_dropped_with_a_typed_error_when_there_is_no_leader(RaftRole role)
    {
        var r = New(1, [1UL, 2, 3], preVote: role == RaftRole.PreCandidate);
        if (role != RaftRole.Follower)
        {
            r.Step(Msg(MessageType.MsgHup, 1, 1));
        }
        Assert.Equal(role, r.State);
        var node = new RawNode(new RaftConfig { Id = 1, Storage = r.Log.Storage });
        if (role == RaftRole.Follower)
        {
            Assert.Throws<ProposalDroppedException>(() => node.Propose(ByteString.CopyFromUtf8("x")));
        }
        var m = Msg(MessageType.MsgProp, 1, 1);
        m.Entries.Add(new Entry { Data = ByteString.CopyFromUtf8("x") });
        Assert.Throws<ProposalDroppedException>(() => r.Step(m));
        Assert.Equal(0UL, r.Log.LastIndex());
    }

    [Fact]
    public void Proposal_is_dropped_while_a_leadership_transfer_is_under_way()
    {
        var net = Network.Create(3);
        net.Campaign(1);
        net.Isolate(3);
        net.Send(Msg(MessageType.MsgTransferLeader, 3, 1));
        Assert.Equal(3UL, net[1].LeadTransferee);
        var m = Msg(MessageType.MsgProp, 1, 1);
        m.Entries.Add(new Entry());
        Assert.Throws<ProposalDroppedException>(() => net[1].Step(m));
    }

    // etcd raft_paper_test.go TestLeaderSyncFollowerLog (Raft figure 7): whatever the
    // follower's log, after an election and one proposal it equals the leader's.
    public static TheoryData<ulong[]> FollowerLogs => new()
    {
        new ulong[] { 1, 1, 1, 4, 4, 5, 5, 6, 6 },
        new ulong[] { 1, 1, 1, 4 },
        new ulong[] { 1, 1, 1, 4, 4, 5, 5, 6, 6, 6, 6 },
        new ulong[] { 1, 1, 1, 4, 4, 5, 5, 6, 6, 6, 7, 7 },
        new ulong[] { 1, 1, 1, 4, 4, 4, 4 },
        new ulong[] { 1, 1, 1, 2, 2, 2, 3, 3, 3, 3, 3 },
        Array.Empty<ulong>(),
    };

    [Theory]
    [MemberData(nameof(FollowerLogs))]
    public void Leader_overwrites_a_conflicting_or_missing_follower_log_when_it_replicates(ulong[] followerTerms)
    {
        ulong[] leaderTerms = [1, 1, 1, 4, 4, 5, 5, 6, 6, 6];
        const ulong term = 8;
        var leadStorage = Storage([1UL, 2, 3]);
        leadStorage.Append(leaderTerms.Select((t, i) => Entry((ulong)i + 1, t)).ToList());
        var lead = New(1, leadStorage);
        lead.Log.Committed = lead.Log.LastIndex();
        lead.BecomeFollower(term, 0);

        var followerStorage = Storage([1UL, 2, 3]);
        followerStorage.Append(followerTerms.Select((t, i) => Entry((ulong)i + 1, t)).ToList());
        var follower = New(2, followerStorage);
        follower.BecomeFollower(term - 1, 0);

        var net = Network.Of(lead, follower, null);
        net.Campaign(1);
        // 3 is a black hole: its vote is forged so that 1 wins whatever 2 thinks.
        net.Send(Msg(MessageType.MsgVoteResp, 3, 1, term: term + 1));
        net.Propose(1, "");
        Assert.Equal(Describe(lead.Log), Describe(follower.Log));
    }

    // etcd raft_paper_test.go TestLeaderOnlyCommitsLogFromCurrentTerm (Raft §5.4.2): an entry
    // of an earlier term is not committed by counting replicas, only under one of the current term.
    [Theory]
    [InlineData(1UL, 0UL)]
    [InlineData(2UL, 0UL)]
    [InlineData(3UL, 3UL)]
    public void Leader_commits_only_entries_of_its_term_when_counting_replicas(ulong ackedIndex, ulong expectedCommit)
    {
        var storage = Storage([1UL, 2]);
        storage.Append([Entry(1, 1), Entry(2, 2)]);
        var r = New(1, storage);
        r.BecomeFollower(2, 0);
        r.BecomeCandidate();
        r.BecomeLeader();
        Network.ReadMessages(r);
        Assert.Equal(3UL, r.Term);
        // The leader's empty entry is at index 3 (term 3).
        r.Step(Msg(MessageType.MsgAppResp, 2, 1, term: r.Term, index: ackedIndex));
        Assert.Equal(expectedCommit, r.Log.Committed);
    }

    [Fact]
    public void Follower_rejects_an_append_that_does_not_match_and_hints_where_to_retry()
    {
        var storage = Storage([1UL, 2]);
        storage.Append([Entry(1, 1), Entry(2, 2), Entry(3, 2), Entry(4, 2)]);
        var r = New(2, storage);
        r.BecomeFollower(5, 1);
        // The leader thinks our entry 4 has term 4: our log has term 2 there, so any index with
        // a term ≤ 4 matches first at 4 itself... but the term differs, so the hint skips back
        // to the last index whose term is ≤ the leader's (4, term 2).
        r.Step(Msg(MessageType.MsgApp, 1, 2, term: 5, index: 6, logTerm: 4));
        var resp = Network.ReadMessages(r).Single();
        Assert.True(resp.Reject);
        Assert.Equal(4UL, resp.RejectHint);
        Assert.Equal(2UL, resp.LogTerm);
    }

    [Fact]
    public void Leader_pipelines_appends_up_to_the_inflight_limit_and_then_waits()
    {
        var storage = Storage([1UL, 2]);
        var r = New(1, storage, maxSizePerMsg: 1, maxInflight: 3);
        r.BecomeCandidate();
        r.BecomeLeader();
        r.Step(Msg(MessageType.MsgAppResp, 2, 1, term: r.Term, index: 1));
        Network.ReadMessages(r);
        Assert.Equal(ProgressState.Replicate, r.Tracker.Progress[2].State);
        for (var i = 0; i < 5; i++)
        {
            var m = Msg(MessageType.MsgProp, 1, 1);
            m.Entries.Add(new Entry { Data = ByteString.CopyFromUtf8($"e{i}") });
            r.Step(m);
        }
        var apps = Network.ReadMessages(r).Where(m => m.Type == MessageType.MsgApp).ToList();
        Assert.Equal(3, apps.Count);
        Assert.True(r.Tracker.Progress[2].Inflights.Full);
        // An ack frees the window and the rest goes out.
        r.Step(Msg(MessageType.MsgAppResp, 2, 1, term: r.Term, index: apps[^1].Entries[^1].Index));
        var more = Network.ReadMessages(r).Where(m => m.Type == MessageType.MsgApp).ToList();
        Assert.Equal(2, more.Count);
    }

    [Fact]
    public void Probing_follower_gets_one_append_per_heartbeat_response()
    {
        var r = New(1, Storage([1UL, 2]));
        r.BecomeCandidate();
        r.BecomeLeader();
        Network.ReadMessages(r);
        Assert.Equal(ProgressState.Probe, r.Tracker.Progress[2].State);
        var m = Msg(MessageType.MsgProp, 1, 1);
        m.Entries.Add(new Entry());
        r.Step(m);
        r.Step(m.Clone());
        // Only the first append went out; the probe is paused until the follower answers.
        Assert.Single(Network.ReadMessages(r), x => x.Type == MessageType.MsgApp);
        r.Step(Msg(MessageType.MsgHeartbeatResp, 2, 1, term: r.Term));
        Assert.Single(Network.ReadMessages(r), x => x.Type == MessageType.MsgApp);
    }

    [Fact]
    public void Dropped_messages_are_retried_until_every_node_has_the_entry()
    {
        var net = Network.Create(3);
        net.Campaign(1);
        net.Drop(1, 3, 1.0);
        net.Propose(1, "x");
        Assert.Equal(2UL, net[1].Log.Committed);
        Assert.Equal(1UL, net[3].Log.LastIndex());
        net.Recover();
        net.Heartbeat(1);
        Assert.Equal(2UL, net[3].Log.LastIndex());
        Assert.Equal(2UL, net[3].Log.Committed);
    }
}
