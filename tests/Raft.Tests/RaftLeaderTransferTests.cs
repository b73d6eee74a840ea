using MiniKube.Raft.Pb;
using static MiniKube.Raft.Tests.TestRaft;

namespace MiniKube.Raft.Tests;

public sealed class RaftLeaderTransferTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Leadership_moves_to_an_up_to_date_follower_when_the_leader_is_asked(bool checkQuorum)
    {
        var net = Network.Create(3, checkQuorum: checkQuorum);
        net.Campaign(1);
        net.Send(Msg(MessageType.MsgTransferLeader, 2, 1));
        Assert.Equal(RaftRole.Leader, net[2].State);
        Assert.Equal(RaftRole.Follower, net[1].State);
        Assert.Equal(2UL, net[1].Lead);
        Assert.Equal(0UL, net[1].LeadTransferee);
    }

    [Fact]
    public void Leadership_moves_to_a_slow_follower_once_it_has_caught_up()
    {
        var net = Network.Create(3);
        net.Campaign(1);
        net.Isolate(3);
        net.Propose(1, "x");
        net.Recover();
        Assert.Equal(1UL, net[1].Tracker.Progress[3].Match);
        net.Send(Msg(MessageType.MsgTransferLeader, 3, 1));
        Assert.Equal(RaftRole.Leader, net[3].State);
        Assert.Equal(3UL, net[1].Lead);
    }

    [Fact]
    public void Leadership_transfer_is_aborted_when_it_does_not_finish_within_an_election_timeout()
    {
        var net = Network.Create(3);
        net.Campaign(1);
        net.Isolate(3);
        net.Send(Msg(MessageType.MsgTransferLeader, 3, 1));
        Assert.Equal(3UL, net[1].LeadTransferee);
        for (var i = 0; i < 10; i++)
        {
            net[1].Tick();
            Network.ReadMessages(net[1]);
        }
        Assert.Equal(0UL, net[1].LeadTransferee);
        Assert.Equal(RaftRole.Leader, net[1].State);
        // Proposals are accepted again.
        net.Propose(1, "after");
        Assert.Equal("after", net[2].Log.AllEntries()[^1].Data.ToStringUtf8());
    }

    [Fact]
    public void Follower_forwards_a_transfer_request_to_the_leader()
    {
        var net = Network.Create(3);
        net.Campaign(1);
        net.Send(Msg(MessageType.MsgTransferLeader, 3, 2));
        Assert.Equal(RaftRole.Leader, net[3].State);
    }

    [Fact]
    public void Timeout_now_makes_a_follower_campaign_through_the_lease_of_check_quorum()
    {
        var net = Network.Create(3, checkQuorum: true, preVote: true);
        net.Campaign(1);
        Assert.Equal(RaftRole.Leader, net[1].State);
        net.Send(Msg(MessageType.MsgTransferLeader, 2, 1));
        Assert.Equal(RaftRole.Leader, net[2].State);
        Assert.Equal(2UL, net[2].Term);
    }
}
