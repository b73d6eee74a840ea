using Google.Protobuf;
using MiniKube.Raft.Pb;
using static MiniKube.Raft.Tests.TestRaft;

namespace MiniKube.Raft.Tests;

public sealed class RaftReadIndexTests
{
    private static Message ReadIndex(ulong from, ulong to, string context)
    {
        var m = Msg(MessageType.MsgReadIndex, from, to);
        m.Entries.Add(new Entry { Data = ByteString.CopyFromUtf8(context) });
        return m;
    }

    [Theory]
    [InlineData(1UL)]
    [InlineData(2UL)]
    [InlineData(3UL)]
    public void ReadIndex_answers_with_the_commit_index_after_a_heartbeat_round_when_asked_at_any_node(ulong askedAt)
    {
        var net = Network.Create(3);
        net.Campaign(1);
        net.Propose(1, "a");
        net.Send(ReadIndex(askedAt, askedAt, "ctx"));
        var rs = Assert.Single(net[askedAt].ReadStates);
        Assert.Equal(2UL, rs.Index);
        Assert.Equal("ctx", rs.RequestContext.ToStringUtf8());
    }

    [Fact]
    public void ReadIndex_waits_for_a_quorum_of_heartbeat_acks_when_followers_are_cut_off()
    {
        var net = Network.Create(3);
        net.Campaign(1);
        net.Isolate(1);
        net.Send(ReadIndex(1, 1, "ctx"));
        // A leader that may have been deposed must not answer from its own state.
        Assert.Empty(net[1].ReadStates);
        net.Recover();
        net.Heartbeat(1);
        Assert.Equal(1UL, Assert.Single(net[1].ReadStates).Index);
    }

    [Fact]
    public void ReadIndex_is_deferred_until_the_new_leader_commits_an_entry_of_its_term()
    {
        var net = Network.Create(3);
        net.Campaign(1);
        net.Ignore(MessageType.MsgApp);
        net.Campaign(2);
        // 2 is leader, but its empty entry is not committed yet: it does not know the commit index.
        Assert.Equal(RaftRole.Leader, net[2].State);
        net.Send(ReadIndex(2, 2, "ctx"));
        Assert.Empty(net[2].ReadStates);
        net.Recover();
        net.Heartbeat(2);
        var rs = Assert.Single(net[2].ReadStates);
        Assert.Equal(net[2].Log.Committed, rs.Index);
        Assert.Equal(2UL, rs.Index);
    }

    [Fact]
    public void ReadIndex_is_dropped_with_a_typed_error_when_there_is_no_leader()
    {
        var r = New(1, [1UL, 2, 3]);
        Assert.Throws<ProposalDroppedException>(() => r.Step(ReadIndex(1, 1, "ctx")));
    }
}
