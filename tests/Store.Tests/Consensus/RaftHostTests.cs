using System.Text;
using MiniKube.Grpc;
using MiniKube.Raft.Pb;
using MiniKube.Store.Backend;
using MiniKube.Store.Consensus;

namespace MiniKube.Store.Tests.Consensus;

/// <summary>
/// The host loop with members in one process on an in-memory network. The clock is manual, so
/// elections happen only when a test asks for one (Campaign) or advances time.
/// </summary>
public sealed class RaftHostTests : IDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);
    private readonly ManualTimeProvider _time = new();
    private readonly InMemoryRaftNetwork _network = new();
    private readonly List<RaftHost> _hosts = [];

    public void Dispose()
    {
        foreach (var host in _hosts)
        {
            host.Dispose();
        }
    }

    private RaftHostOptions Options => new() { TimeProvider = _time, TickInterval = TimeSpan.FromMilliseconds(50), ElectionTick = 10, RequestTimeout = TimeSpan.FromSeconds(5) };

    private (RaftHost Host, RecordingStateMachine StateMachine, InMemoryBackend Backend) Start(ulong id, ulong[] voters, InMemoryBackend? backend = null, RecordingStateMachine? stateMachine = null)
    {
        backend ??= new InMemoryBackend();
        stateMachine ??= new RecordingStateMachine();
        var storage = RaftLogStorage.Open(backend, new ConfState { Voters = { voters } });
        var host = new RaftHost(id, storage, stateMachine, _network.TransportFor(id), Options);
        _network.Register(host);
        _hosts.Add(host);
        return (host, stateMachine, backend);
    }

    private static byte[] B(string s) => Encoding.UTF8.GetBytes(s);

    private static async Task ElectAsync(RaftHost candidate, params RaftHost[] all)
    {
        candidate.Campaign();
        foreach (var host in all)
        {
            Assert.Equal(candidate.Id, await host.WaitForLeaderAsync().WaitAsync(Wait));
        }
    }

    [Fact]
    public async Task A_single_member_elects_itself_on_its_election_timeout_and_applies_proposals()
    {
        var (host, stateMachine, _) = Start(1, [1]);
        // Randomised election timeouts lie in [ElectionTick, 2 * ElectionTick) ticks.
        for (var tick = 0; tick < 20; tick++)
        {
            _time.Advance(TimeSpan.FromMilliseconds(50));
        }

        Assert.Equal(1ul, await host.WaitForLeaderAsync().WaitAsync(Wait));

        var index = (ulong)(await host.ProposeAsync(B("put a")))!;
        var index2 = (ulong)(await host.ProposeAsync(B("put b")))!;

        Assert.Equal(index + 1, index2);
        Assert.Equal(["put a", "put b"], stateMachine.Applied);
        Assert.Equal(index2, host.AppliedIndex);
        Assert.True(host.Term >= 2);
    }

    [Fact]
    public async Task Each_stage_of_a_write_is_reported_to_the_observer_saves_applies_and_the_proposal()
    {
        var observer = new RecordingHostObserver();
        var backend = new InMemoryBackend();
        var stateMachine = new RecordingStateMachine();
        var host = new RaftHost(1, RaftLogStorage.Open(backend, new ConfState { Voters = { 1ul } }), stateMachine, _network.TransportFor(1), Options with { Observer = observer });
        _network.Register(host);
        _hosts.Add(host);
        await ElectAsync(host, host);

        Assert.True(observer.WakeUps > 0, "the loop thread sleeps between commands (the election woke it)");
        var appliedBefore = observer.AppliedEntries;
        var savedBefore = observer.SavedEntries;
        var wakeUpsBefore = observer.WakeUps;
        await host.ProposeAsync(B("put a"));
        await host.ProposeAsync(B("put b"));

        Assert.Equal(2, observer.AppliedEntries - appliedBefore);
        Assert.Equal(2, observer.SavedEntries - savedBefore);
        Assert.True(observer.SyncedSaves >= 2, "a save with new entries is synced");
        Assert.Equal(2, observer.Proposals);
        // Nothing else happens (the clock is manual): each proposal finds the node free and runs
        // its round on the caller's thread, or is taken by the loop before it sleeps.
        Assert.Equal(wakeUpsBefore, observer.WakeUps);
    }

    [Fact]
    public async Task A_write_proposed_on_a_follower_is_forwarded_and_applied_on_every_member_in_one_order()
    {
        ulong[] voters = [1, 2, 3];
        var members = voters.Select(id => Start(id, voters)).ToList();
        var hosts = members.Select(m => m.Host).ToArray();
        await ElectAsync(hosts[0], hosts);

        var writes = new List<Task<object?>>();
        for (var i = 0; i < 30; i++)
        {
            writes.Add(hosts[i % 3].ProposeAsync(B($"w{i}")));
        }

        var indexes = (await Task.WhenAll(writes)).Select(r => (ulong)r!).ToList();
        Assert.Equal(30, indexes.Distinct().Count());
        var last = indexes.Max();
        foreach (var host in hosts)
        {
            await host.WaitAppliedAsync(last).WaitAsync(Wait);
        }

        var order = members[0].StateMachine.Applied;
        Assert.Equal(30, order.Count);
        Assert.All(members, m => Assert.Equal(order, m.StateMachine.Applied));
    }

    [Fact]
    public async Task A_write_through_a_follower_is_answered_on_the_thread_that_brings_its_commit()
    {
        // Its waiter continues where the commit is applied (a peer stream's thread in a member),
        // after that round is over, instead of on a pool thread woken for it: one hand-off fewer.
        ulong[] voters = [1, 2];
        var leader = Start(1, voters).Host;
        var (follower, followerStateMachine, _) = Start(2, voters);
        await ElectAsync(leader, leader, follower);
        await follower.WaitAppliedAsync(leader.CommitIndex).WaitAsync(Wait);
        _network.Hold();

        var write = follower.ProposeAsync(B("put a"));
        var continuedOn = write.ContinueWith(_ => Thread.CurrentThread, TaskContinuationOptions.ExecuteSynchronously);
        var peerStream = new Thread(() =>
        {
            while (!write.IsCompleted)
            {
                if (!_network.DeliverHeld())
                {
                    Thread.Sleep(1);
                }
            }
        })
        { Name = "peer stream", IsBackground = true };
        peerStream.Start();

        await write.WaitAsync(Wait);
        Assert.Equal(peerStream.Name, (await continuedOn).Name);
        Assert.Equal(["put a"], followerStateMachine.Applied);
    }

    [Fact]
    public async Task A_read_index_on_a_follower_covers_every_write_acknowledged_before_it()
    {
        ulong[] voters = [1, 2, 3];
        var members = voters.Select(id => Start(id, voters)).ToList();
        var hosts = members.Select(m => m.Host).ToArray();
        await ElectAsync(hosts[1], hosts);

        var written = (ulong)(await hosts[1].ProposeAsync(B("x=1")))!;
        var readIndex = await hosts[2].ReadIndexAsync().WaitAsync(Wait);

        Assert.True(readIndex >= written, $"read index {readIndex} is before the acknowledged write at {written}");
        Assert.True(hosts[2].AppliedIndex >= written);
        Assert.Contains("x=1", members[2].StateMachine.Applied);
    }

    [Fact]
    public async Task Without_a_leader_writes_and_linearizable_reads_fail_with_no_leader()
    {
        var (host, _, _) = Start(1, [1, 2, 3]);

        var write = await Assert.ThrowsAsync<RpcException>(() => host.ProposeAsync(B("w")));
        var read = await Assert.ThrowsAsync<RpcException>(() => host.ReadIndexAsync());

        Assert.Equal("etcdserver: no leader", write.Status.Detail);
        Assert.Equal("etcdserver: no leader", read.Status.Detail);
    }

    [Fact]
    public async Task A_write_that_cannot_reach_a_quorum_times_out()
    {
        ulong[] voters = [1, 2, 3];
        var hosts = voters.Select(id => Start(id, voters).Host).ToArray();
        await ElectAsync(hosts[0], hosts);
        _network.Cut(2);
        _network.Cut(3);

        var write = hosts[0].ProposeAsync(B("lost"));
        await hosts[0].WaitAppliedAsync(0); // the proposal is queued before this barrier
        _time.Advance(TimeSpan.FromSeconds(6));

        var error = await Assert.ThrowsAsync<RpcException>(() => write);
        Assert.Equal("etcdserver: request timed out", error.Status.Detail);
    }

    [Fact]
    public async Task A_read_or_write_forwarded_by_a_peer_to_a_member_that_knows_no_leader_is_dropped_and_the_member_carries_on()
    {
        // Found by the chaos test: a leader that stepped down (check-quorum) received a read its
        // follower forwarded before it heard; Raft refused it, and the refusal stopped the
        // member's loop for good, a live process that never answered again.
        ulong[] voters = [1, 2, 3];
        var hosts = voters.Select(id => Start(id, voters).Host).ToArray();
        var forwardedRead = new Message { Type = MessageType.MsgReadIndex, From = 2, To = 1, Entries = { new Entry { Data = Google.Protobuf.ByteString.CopyFrom(B("ctx")) } } };
        var forwardedWrite = new Message { Type = MessageType.MsgProp, From = 2, To = 1, Entries = { new Entry { Data = Google.Protobuf.ByteString.CopyFrom(B("forwarded")) } } };

        hosts[0].Step(forwardedRead);
        hosts[0].Step(forwardedWrite);

        await ElectAsync(hosts[0], hosts);
        var written = (ulong)(await hosts[0].ProposeAsync(B("after")).WaitAsync(Wait))!;
        Assert.True(await hosts[0].ReadIndexAsync().WaitAsync(Wait) >= written);
    }

    [Fact]
    public async Task A_restarted_member_skips_what_it_applied_and_continues_the_log()
    {
        var backend = new InMemoryBackend();
        var (host, stateMachine, _) = Start(1, [1], backend);
        await ElectAsync(host, host);
        await host.ProposeAsync(B("before"));
        var applied = stateMachine.AppliedIndex;
        host.Dispose();
        _hosts.Remove(host);

        var recovered = backend.CrashAndRecover();
        var restartedMachine = new RecordingStateMachine(applied);
        var (restarted, _, _) = Start(1, [1], recovered, restartedMachine);
        await ElectAsync(restarted, restarted);
        var index = (ulong)(await restarted.ProposeAsync(B("after")))!;

        Assert.True(index > applied);
        Assert.Equal(["after"], restartedMachine.Applied);
        Assert.True(restarted.Term > host.Term);
    }
}
