using MiniKube.Raft.Pb;
using static MiniKube.Raft.Tests.TestRaft;

namespace MiniKube.Raft.Tests;

public sealed class RaftElectionTests
{
    [Theory]
    [InlineData(false, 3, new ulong[0], RaftRole.Leader, 1UL)]
    [InlineData(false, 3, new ulong[] { 3 }, RaftRole.Leader, 1UL)]
    [InlineData(false, 3, new ulong[] { 2, 3 }, RaftRole.Candidate, 1UL)]
    [InlineData(false, 4, new ulong[] { 2, 3 }, RaftRole.Candidate, 1UL)]
    [InlineData(false, 5, new ulong[] { 2, 3 }, RaftRole.Leader, 1UL)]
    // With pre-vote a node that cannot win stays a pre-candidate and does not bump its term.
    [InlineData(true, 3, new ulong[0], RaftRole.Leader, 1UL)]
    [InlineData(true, 3, new ulong[] { 2, 3 }, RaftRole.PreCandidate, 0UL)]
    [InlineData(true, 5, new ulong[] { 2, 3 }, RaftRole.Leader, 1UL)]
    public void Campaign_wins_only_with_a_majority_when_peers_are_unreachable(bool preVote, int size, ulong[] blackHoles, RaftRole expectedRole, ulong expectedTerm)
    {
        var net = Network.Create(size, preVote: preVote, blackHoles: blackHoles);
        net.Campaign(1);
        Assert.Equal(expectedRole, net[1].State);
        Assert.Equal(expectedTerm, net[1].Term);
    }

    [Fact]
    public void New_leader_appends_an_empty_entry_of_its_term_when_elected()
    {
        var net = Network.Create(3);
        net.Campaign(1);
        var entries = net[1].Log.AllEntries();
        var e = Assert.Single(entries);
        Assert.Equal((1UL, 1UL, EntryType.EntryNormal, 0), (e.Index, e.Term, e.Type, e.Data.Length));
        // It commits once a quorum has it, on every node.
        Assert.All(net.Peers.Values, p => Assert.Equal(1UL, p!.Log.Committed));
    }

    [Fact]
    public void Follower_campaigns_after_a_randomized_timeout_within_one_to_two_election_timeouts()
    {
        var seen = new HashSet<int>();
        var r = New(1, [1UL, 2, 3]);
        for (var i = 0; i < 200; i++)
        {
            r.BecomeFollower(r.Term + 1, 0);
            var timeout = r.RandomizedElectionTimeout;
            Assert.InRange(timeout, 10, 19);
            seen.Add(timeout);
            var ticks = 0;
            while (r.State == RaftRole.Follower)
            {
                r.Tick();
                ticks++;
            }
            Assert.Equal(timeout, ticks);
        }
        // Randomized, not constant: most values of the range occur.
        Assert.True(seen.Count >= 8, $"only timeouts {string.Join(",", seen)} occurred");
    }

    [Fact]
    public void Election_timeouts_repeat_exactly_when_the_seed_is_the_same()
    {
        static List<int> Timeouts(int seed)
        {
            var r = new Raft(new RaftConfig { Id = 1, Storage = Storage([1UL, 2]), RandomSeed = seed });
            var result = new List<int>();
            for (var i = 0; i < 20; i++)
            {
                r.BecomeFollower(r.Term + 1, 0);
                result.Add(r.RandomizedElectionTimeout);
            }
            return result;
        }
        Assert.Equal(Timeouts(7), Timeouts(7));
        Assert.NotEqual(Timeouts(7), Timeouts(8));
    }

    [Fact]
    public void Node_votes_once_per_term_and_only_for_an_up_to_date_log()
    {
        var storage = Storage([1UL, 2, 3]);
        storage.Append([Entry(1, 2), Entry(2, 2)]);
        var r = New(1, storage);
        r.BecomeFollower(2, 0);

        // A candidate whose log is behind ours (lower last term) is refused.
        r.Step(Msg(MessageType.MsgVote, 2, 1, term: 3, index: 5, logTerm: 1));
        Assert.True(Network.ReadMessages(r).Single().Reject);

        // An up-to-date one gets the vote; a second candidate of the same term does not.
        r.Step(Msg(MessageType.MsgVote, 2, 1, term: 3, index: 2, logTerm: 2));
        Assert.False(Network.ReadMessages(r).Single().Reject);
        Assert.Equal(2UL, r.Vote);
        r.Step(Msg(MessageType.MsgVote, 3, 1, term: 3, index: 9, logTerm: 3));
        Assert.True(Network.ReadMessages(r).Single().Reject);

        // The same candidate asking again gets the same answer.
        r.Step(Msg(MessageType.MsgVote, 2, 1, term: 3, index: 2, logTerm: 2));
        Assert.False(Network.ReadMessages(r).Single().Reject);
    }

    [Fact]
    public void Partitioned_node_with_pre_vote_does_not_disrupt_the_leader_when_it_rejoins()
    {
        var net = Network.Create(3, preVote: true);
        net.Campaign(1);
        Assert.Equal(RaftRole.Leader, net[1].State);
        net.Isolate(3);
        net.Propose(1, "while 3 is away");
        // 3 times out many times over: its pre-votes go nowhere and its term stays put.
        for (var i = 0; i < 100; i++)
        {
            net[3].Tick();
            Network.ReadMessages(net[3]);
        }
        Assert.Equal(1UL, net[3].Term);
        Assert.Equal(RaftRole.PreCandidate, net[3].State);

        net.Recover();
        net.Campaign(3);
        net.Heartbeat(1);
        Assert.Equal(RaftRole.Leader, net[1].State);
        Assert.Equal(1UL, net[1].Term);
        Assert.Equal(RaftRole.Follower, net[3].State);
        Assert.Equal(net[1].Log.LastIndex(), net[3].Log.LastIndex());
    }

    [Fact]
    public void Partitioned_node_without_pre_vote_disrupts_the_leader_when_it_rejoins()
    {
        // The contrast to the test above: this is the disruption pre-vote prevents.
        var net = Network.Create(3);
        net.Campaign(1);
        net.Isolate(3);
        net.Campaign(3);
        net.Campaign(3);
        Assert.Equal(3UL, net[3].Term);
        net.Recover();
        // 3 times out again and its vote request at a higher term deposes the healthy leader.
        net.Campaign(3);
        Assert.NotEqual(1UL, net[1].Lead);
        Assert.Equal(4UL, net[1].Term);
    }

    [Fact]
    public void Leader_steps_down_when_check_quorum_finds_no_quorum_within_an_election_timeout()
    {
        var net = Network.Create(3, checkQuorum: true);
        net.Campaign(1);
        Assert.Equal(RaftRole.Leader, net[1].State);
        net.Isolate(1);
        for (var i = 0; i < 2 * 10 + 1; i++)
        {
            net[1].Tick();
            Network.ReadMessages(net[1]);
        }
        Assert.Equal(RaftRole.Follower, net[1].State);
        Assert.Equal(0UL, net[1].Lead);
        Assert.Equal(1UL, net[1].Term);
    }

    [Fact]
    public void Leader_stays_when_check_quorum_hears_from_a_quorum()
    {
        var net = Network.Create(3, checkQuorum: true);
        net.Campaign(1);
        net.Isolate(3);
        for (var i = 0; i < 5 * 10; i++)
        {
            net[1].Tick();
            foreach (var m in Network.ReadMessages(net[1]))
            {
                net.Send(m);
            }
        }
        Assert.Equal(RaftRole.Leader, net[1].State);
    }

    [Fact]
    public void Follower_in_leader_lease_ignores_a_vote_request_when_check_quorum_is_on()
    {
        var net = Network.Create(3, checkQuorum: true);
        net.Campaign(1);
        // 3 was cut off and campaigns at a higher term; 2 heard from the leader recently.
        net[3].Step(Msg(MessageType.MsgHup, 3, 3));
        var votes = Network.ReadMessages(net[3]).Where(m => m.To == 2).ToArray();
        Assert.Equal(2UL, votes.Single().Term);
        net[2].Step(votes.Single());
        Assert.Empty(Network.ReadMessages(net[2]));
        Assert.Equal(1UL, net[2].Term);
        Assert.Equal(1UL, net[2].Lead);
    }

    [Fact]
    public void Stale_leader_steps_down_when_it_hears_of_a_newer_term()
    {
        var net = Network.Create(3);
        net.Campaign(1);
        net.Isolate(1);
        net.Campaign(2);
        Assert.Equal(RaftRole.Leader, net[2].State);
        Assert.Equal(RaftRole.Leader, net[1].State);
        net.Recover();
        // The old leader's heartbeat is answered... and the new leader's heartbeat deposes it.
        net.Heartbeat(2);
        Assert.Equal(RaftRole.Follower, net[1].State);
        Assert.Equal(2UL, net[1].Term);
        Assert.Equal(2UL, net[1].Lead);
    }

    [Fact]
    public void Stale_leader_is_deposed_by_the_answer_to_its_own_heartbeat_when_check_quorum_is_on()
    {
        var net = Network.Create(3, checkQuorum: true);
        net.Campaign(1);
        net.Isolate(1);
        // The followers' leases expire (they no longer hear from 1), then 2 is elected.
        net[2].ElectionElapsed = 10;
        net[3].ElectionElapsed = 10;
        net.Campaign(2);
        Assert.Equal(RaftRole.Leader, net[2].State);
        net.Recover();
        net.Heartbeat(1);
        Assert.Equal(RaftRole.Follower, net[1].State);
        Assert.Equal(net[2].Term, net[1].Term);
    }

    [Fact]
    public void Candidate_with_an_outdated_log_cannot_win()
    {
        var net = Network.Create(3);
        net.Campaign(1);
        net.Isolate(3);
        net.Propose(1, "x");
        net.Recover();
        net.Isolate(1);
        // 3 lacks "x", which 2 has: 2 refuses it.
        net.Campaign(3);
        Assert.NotEqual(RaftRole.Leader, net[3].State);
        net.Campaign(2);
        Assert.Equal(RaftRole.Leader, net[2].State);
    }

    [Fact]
    public void Learner_never_campaigns_when_its_election_timeout_passes()
    {
        var r = New(2, Storage([1UL], [2UL]));
        for (var i = 0; i < 100; i++)
        {
            r.Tick();
        }
        Assert.Equal(RaftRole.Follower, r.State);
        Assert.Empty(r.Messages);
    }
}
