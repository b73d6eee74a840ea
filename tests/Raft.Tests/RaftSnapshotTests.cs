using Google.Protobuf;
using MiniKube.Raft.Pb;
using static MiniKube.Raft.Tests.TestRaft;

namespace MiniKube.Raft.Tests;

public sealed class RaftSnapshotTests
{
    [Fact]
    public void Leader_sends_a_snapshot_to_a_lagging_follower_when_the_entries_it_needs_are_compacted()
    {
        var net = Network.Create(3);
        net.Campaign(1);
        net.Isolate(3);
        for (var i = 0; i < 5; i++)
        {
            net.Propose(1, $"e{i}");
        }
        // The leader persists, applies and compacts everything up to its commit index.
        var leader = net[1];
        var storage = net.Storage[1];
        PersistAndApply(leader, storage);
        var applied = leader.Log.Applied;
        Assert.Equal(6UL, applied);
        storage.CreateSnapshot(applied, leader.Tracker.ConfState(), ByteString.CopyFromUtf8("state@6"));
        storage.Compact(applied);
        Assert.Equal(7UL, leader.Log.FirstIndex());

        net.Recover();
        // 3 answers the heartbeat, the leader learns it is alive and far behind.
        net.Heartbeat(1);
        var follower = net[3];
        var pending = follower.Log.Unstable.Snapshot;
        Assert.NotNull(pending);
        Assert.Equal("state@6", pending.Data.ToStringUtf8());
        Assert.Equal(6UL, follower.Log.Committed);
        // The follower's answer to the snapshot puts it back into normal replication.
        Assert.Equal(6UL, leader.Tracker.Progress[3].Match);
        Assert.Equal(ProgressState.Replicate, leader.Tracker.Progress[3].State);
        net.Propose(1, "after");
        Assert.Equal(7UL, follower.Log.LastIndex());
        Assert.Equal(7UL, follower.Log.Committed);
    }

    [Fact]
    public void Follower_ignores_a_snapshot_older_than_its_commit_index()
    {
        var storage = Storage([1UL, 2]);
        storage.Append([Entry(1, 1), Entry(2, 1), Entry(3, 1)]);
        var r = New(2, storage);
        r.BecomeFollower(1, 1);
        r.Log.CommitTo(3);
        var snap = new Snapshot { Metadata = new SnapshotMetadata { Index = 2, Term = 1, ConfState = new ConfState { Voters = { 1, 2 } } } };
        var m = Msg(MessageType.MsgSnap, 1, 2, term: 1);
        m.Snapshot = snap;
        r.Step(m);
        Assert.Null(r.Log.Unstable.Snapshot);
        var resp = Network.ReadMessages(r).Single();
        Assert.Equal(3UL, resp.Index);
    }

    [Fact]
    public void Failed_snapshot_report_makes_the_leader_probe_and_resend_later()
    {
        var storage = Storage([1UL, 2]);
        var r = New(1, storage);
        r.BecomeCandidate();
        r.BecomeLeader();
        PersistAndApply(r, storage);
        storage.CreateSnapshot(1, r.Tracker.ConfState(), ByteString.Empty);
        storage.Compact(1);
        Network.ReadMessages(r);
        var pr = r.Tracker.Progress[2];
        pr.Next = 1;
        pr.RecentActive = true;
        r.SendAppend(2);
        Assert.Equal(MessageType.MsgSnap, Network.ReadMessages(r).Single().Type);
        Assert.Equal(ProgressState.Snapshot, pr.State);

        var failed = Msg(MessageType.MsgSnapStatus, 2, 1);
        failed.Reject = true;
        r.Step(failed);
        Assert.Equal(ProgressState.Probe, pr.State);
        Assert.Equal(0UL, pr.PendingSnapshot);
        Assert.True(pr.ProbeSent);
    }

    [Fact]
    public void Restarted_node_recovers_its_log_and_configuration_from_storage()
    {
        var net = Network.Create(3);
        net.Campaign(1);
        net.Propose(1, "x");
        var storage = net.Storage[2];
        var follower = net[2];
        PersistAndApply(follower, storage);
        storage.SetHardState(follower.HardState);

        var restarted = New(2, storage);
        Assert.Equal(follower.Term, restarted.Term);
        Assert.Equal(follower.Vote, restarted.Vote);
        Assert.Equal(follower.Log.Committed, restarted.Log.Committed);
        Assert.Equal(Describe(follower.Log), Describe(restarted.Log));
        Assert.Equal([1UL, 2, 3], restarted.Tracker.Voters);
    }
}
