using System.Buffers.Binary;
using System.Text;
using Google.Protobuf;
using MiniKube.Raft.Pb;

namespace MiniKube.Raft.Tests.Simulation;

/// <summary>
/// A seeded, single-threaded simulation of a cluster of <see cref="RawNode"/>s behind host loops
/// that persist, send and apply as the <see cref="Ready"/> contract says, over a network that
/// drops, delays, reorders, duplicates and partitions messages, with nodes crashing and restarting
/// from what they persisted. After every step it checks the Raft safety properties; a violation
/// throws with the seed in the message.
/// </summary>
internal sealed class SimCluster
{
    private sealed record InFlight(long DeliverAt, Message Message);

    private const int ElectionTick = 10;
    private const int CompactEvery = 16;

    private readonly int _seed;
    private readonly Random _rng;
    private readonly bool _preVote;
    private readonly bool _checkQuorum;
    private readonly ulong _maxSizePerMsg;
    private readonly int _maxInflight;
    private readonly List<SimNode> _nodes = [];
    private readonly List<InFlight> _network = [];
    private readonly HashSet<(ulong, ulong)> _cut = [];
    private readonly List<string>? _trace;

    // What the safety checks remember across the whole run.
    private readonly Dictionary<ulong, ulong> _leaderOfTerm = [];
    private readonly Dictionary<ulong, (ulong Term, ByteString Data)> _appliedAt = [];
    private readonly Dictionary<ulong, ulong> _hashAfter = [];
    private readonly Dictionary<(ulong Index, ulong Term), (EntryType Type, ByteString Data)> _logEntries = [];
    private readonly Dictionary<ByteString, ulong> _acked = [];
    private readonly SortedDictionary<ulong, (ulong EntryTerm, ulong CommitTerm)> _committed = [];
    private ulong _maxCommitRecorded;
    private readonly HashSet<ulong> _removed = [];
    private readonly Dictionary<ByteString, ulong> _readFloor = [];
    private int _readCounter;
    private int _readsAnswered;

    private long _now;
    private int _proposalCounter;
    private ulong _nextNewId;
    private ulong _maxApplied;
    private double _dropRate;
    private double _dupRate;
    private int _maxDelay;
    private bool _chaos;

    public SimCluster(int seed, int size, bool trace)
    {
        _seed = seed;
        _rng = new Random(seed);
        _preVote = _rng.Next(2) == 0;
        _checkQuorum = _rng.Next(2) == 0;
        // Small messages and a narrow window exercise probing, pipelining and flow control.
        _maxSizePerMsg = _rng.Next(2) == 0 ? 64UL : 1024 * 1024;
        _maxInflight = new[] { 1, 4, 256 }[_rng.Next(3)];
        _trace = trace ? [] : null;
        var initial = new ConfState();
        for (ulong id = 1; id <= (ulong)size; id++)
        {
            initial.Voters.Add(id);
        }
        for (ulong id = 1; id <= (ulong)size; id++)
        {
            var n = new SimNode(id) { Storage = new MemoryRaftStorage(initial), ConfState = initial.Clone() };
            _nodes.Add(n);
            Start(n);
        }
        _nextNewId = (ulong)size + 1;
        Trace($"seed {seed}: {size} nodes, preVote={_preVote}, checkQuorum={_checkQuorum}");
    }

    public IReadOnlyDictionary<ByteString, ulong> Acknowledged => _acked;

    public int LeaderChanges => _leaderOfTerm.Count;

    public int ReadsAnswered => _readsAnswered;

    public string Description =>
        $"seed={_seed} preVote={_preVote} checkQuorum={_checkQuorum} maxSizePerMsg={_maxSizePerMsg} maxInflight={_maxInflight}";

    /// <summary>Runs <paramref name="ticks"/> ticks of chaos: faults, proposals, conf changes.</summary>
    public void RunChaos(int ticks)
    {
        _dropRate = _rng.NextDouble() * 0.2;
        _dupRate = _rng.NextDouble() * 0.1;
        _maxDelay = _rng.Next(0, 4);
        _chaos = true;
        for (var t = 0; t < ticks; t++)
        {
            RandomEvent();
            Step();
        }
    }

    /// <summary>
    /// Heals everything and checks liveness: within the bound a leader is elected, a fresh
    /// proposal commits, and every member applies every acknowledged entry.
    /// </summary>
    public void HealAndCheckLiveness(int boundTicks)
    {
        _chaos = false;
        _cut.Clear();
        _dropRate = 0;
        _dupRate = 0;
        _maxDelay = 1;
        foreach (var n in _nodes)
        {
            if (!n.Up && !n.Decommissioned)
            {
                Restart(n);
            }
        }
        Trace("healed");
        var marker = ByteString.CopyFromUtf8($"final-{_seed}");
        var proposedAt = -1L;
        for (var t = 0; t < boundTicks; t++)
        {
            ShutDownNonMembers();
            var leader = CurrentLeader();
            if (leader is not null && (proposedAt < 0 || _now - proposedAt > 6 * ElectionTick))
            {
                try
                {
                    leader.Node!.Propose(marker);
                    proposedAt = _now;
                }
                catch (ProposalDroppedException)
                {
                }
            }
            Step();
            if (_acked.TryGetValue(marker, out var index) && MembersCaughtUp(Math.Max(index, _maxApplied)))
            {
                return;
            }
        }
        var states = string.Join("; ", _nodes.Select(Describe));
        throw Fail($"no progress within {boundTicks} ticks after healing: {states}");
    }

    /// <summary>Pairwise log matching over the whole logs (cheap checks run on every append).</summary>
    public void CheckLogMatching()
    {
        var logs = _nodes.Where(n => n.Up).Select(n => (n.Id, Log: n.Node!.Raft.Log)).ToList();
        for (var a = 0; a < logs.Count; a++)
        {
            for (var b = a + 1; b < logs.Count; b++)
            {
                var la = logs[a].Log;
                var lb = logs[b].Log;
                var lo = Math.Max(la.FirstIndex(), lb.FirstIndex());
                var hi = Math.Min(la.LastIndex(), lb.LastIndex());
                if (lo > hi)
                {
                    continue;
                }
                var ea = la.Slice(lo, hi + 1, RaftLog.NoLimit);
                var eb = lb.Slice(lo, hi + 1, RaftLog.NoLimit);
                var match = -1;
                for (var i = ea.Count - 1; i >= 0; i--)
                {
                    if (ea[i].Term == eb[i].Term)
                    {
                        match = i;
                        break;
                    }
                }
                for (var i = 0; i <= match; i++)
                {
                    if (!ea[i].Equals(eb[i]))
                    {
                        throw Fail($"log matching: nodes {logs[a].Id} and {logs[b].Id} agree at index {ea[match].Index} term {ea[match].Term} " +
                            $"but differ at index {ea[i].Index}: {ea[i]} vs {eb[i]}");
                    }
                }
            }
        }
    }

    private void RandomEvent()
    {
        var roll = _rng.NextDouble();
        if (roll < 0.01)
        {
            Partition();
        }
        else if (roll < 0.03)
        {
            if (_cut.Count > 0)
            {
                Trace("heal partition");
            }
            _cut.Clear();
        }
        else if (roll < 0.04)
        {
            var up = _nodes.Where(n => n.Up).ToList();
            if (up.Count > 0)
            {
                Crash(up[_rng.Next(up.Count)]);
            }
        }
        else if (roll < 0.07)
        {
            var down = _nodes.Where(n => !n.Up && !n.Decommissioned).ToList();
            if (down.Count > 0)
            {
                Restart(down[_rng.Next(down.Count)]);
            }
        }
        else if (roll < 0.25)
        {
            ProposeSomewhere();
        }
        else if (roll < 0.265)
        {
            ProposeConfChange();
        }
        else if (roll < 0.27)
        {
            TransferLeadership();
        }
        else if (roll < 0.32)
        {
            ReadIndexSomewhere();
        }
    }

    private void Partition()
    {
        _cut.Clear();
        var ids = _nodes.Select(n => n.Id).ToList();
        var side = ids.Where(_ => _rng.Next(2) == 0).ToHashSet();
        foreach (var a in ids)
        {
            foreach (var b in ids)
            {
                if (side.Contains(a) != side.Contains(b))
                {
                    _cut.Add((a, b));
                }
            }
        }
        Trace($"partition [{string.Join(",", side)}] from the rest");
    }

    private void ProposeSomewhere()
    {
        var up = _nodes.Where(n => n.Up).ToList();
        if (up.Count == 0)
        {
            return;
        }
        var n = up[_rng.Next(up.Count)];
        var data = ByteString.CopyFromUtf8($"p{_proposalCounter++}");
        try
        {
            n.Node!.Propose(data);
            Trace($"propose {data.ToStringUtf8()} at {n.Id}");
        }
        catch (ProposalDroppedException)
        {
        }
    }

    private void ReadIndexSomewhere()
    {
        var up = _nodes.Where(n => n.Up).ToList();
        if (up.Count == 0)
        {
            return;
        }
        var n = up[_rng.Next(up.Count)];
        var ctx = ByteString.CopyFromUtf8($"r{_readCounter++}");
        try
        {
            n.Node!.ReadIndex(ctx);
            // Linearizability: the read must see every write acknowledged before it was issued.
            _readFloor[ctx] = _maxApplied;
            Trace($"read-index {ctx.ToStringUtf8()} at {n.Id}");
        }
        catch (ProposalDroppedException)
        {
        }
    }

    private void ProposeConfChange()
    {
        var leader = CurrentLeader();
        if (leader is null)
        {
            return;
        }
        var raft = leader.Node!.Raft;
        var voters = raft.Tracker.Voters.ToList();
        var learners = raft.Tracker.Learners.ToList();
        ConfChange cc;
        var choice = _rng.Next(3);
        if (choice == 0 && _nextNewId <= (ulong)_nodes.Count + 3 && voters.Count + learners.Count < 7)
        {
            // A brand-new id each time: a removed id is never reused (its old votes could
            // otherwise come back), as in etcd.
            var id = _nodes.Max(x => x.Id) + 1;
            _nextNewId = id + 1;
            _nodes.Add(new SimNode(id));
            Start(_nodes[^1]);
            cc = new ConfChange
            {
                Type = _rng.Next(2) == 0 ? ConfChangeType.ConfChangeAddLearnerNode : ConfChangeType.ConfChangeAddNode,
                NodeId = id,
            };
        }
        else if (choice == 1 && learners.Count > 0)
        {
            cc = new ConfChange { Type = ConfChangeType.ConfChangeAddNode, NodeId = learners[_rng.Next(learners.Count)] };
        }
        else if (choice == 2 && voters.Count > 3)
        {
            // Never the leader itself: etcd leaves a removed leader in limbo until it is deposed.
            var candidates = voters.Where(v => v != leader.Id).ToList();
            cc = new ConfChange { Type = ConfChangeType.ConfChangeRemoveNode, NodeId = candidates[_rng.Next(candidates.Count)] };
        }
        else if (learners.Count > 0 && _rng.Next(2) == 0)
        {
            cc = new ConfChange { Type = ConfChangeType.ConfChangeRemoveNode, NodeId = learners[_rng.Next(learners.Count)] };
        }
        else
        {
            return;
        }
        try
        {
            leader.Node.ProposeConfChange(cc);
            Trace($"propose conf change {cc.Type} {cc.NodeId} at {leader.Id}");
        }
        catch (ProposalDroppedException)
        {
        }
    }

    private void TransferLeadership()
    {
        var leader = CurrentLeader();
        if (leader is null)
        {
            return;
        }
        var voters = leader.Node!.Raft.Tracker.Voters.Where(v => v != leader.Id).ToList();
        if (voters.Count > 0)
        {
            var to = voters[_rng.Next(voters.Count)];
            Trace($"transfer leadership {leader.Id} -> {to}");
            leader.Node.TransferLeader(to);
        }
    }

    private SimNode? CurrentLeader()
    {
        SimNode? best = null;
        foreach (var n in _nodes)
        {
            if (n.Up && n.Node!.Raft.State == RaftRole.Leader && (best is null || n.Node.Raft.Term > best.Node!.Raft.Term))
            {
                best = n;
            }
        }
        return best;
    }

    private void Start(SimNode n)
    {
        var snapshot = n.Storage.Snapshot();
        n.Applied = snapshot.Metadata.Index;
        n.StateHash = snapshot.Data.Length == 8 ? BinaryPrimitives.ReadUInt64BigEndian(snapshot.Data.Span) : 0;
        n.ConfState = snapshot.Metadata.ConfState.Clone();
        n.WasLeader = false;
        n.Node = new RawNode(new RaftConfig
        {
            Id = n.Id,
            Storage = n.Storage,
            Applied = n.Applied,
            ElectionTick = ElectionTick,
            HeartbeatTick = 1,
            PreVote = _preVote,
            CheckQuorum = _checkQuorum,
            MaxSizePerMsg = _maxSizePerMsg,
            MaxInflightMsgs = _maxInflight,
            Random = new Random(_rng.Next()),
        });
    }

    private void Crash(SimNode n)
    {
        Trace($"crash {n.Id}");
        // Whatever the RawNode held that was not persisted yet (unstable entries, messages not
        // sent) is lost with it.
        n.Node = null;
    }

    private void Restart(SimNode n)
    {
        Trace($"restart {n.Id}");
        Start(n);
    }

    private void Step()
    {
        _now++;
        foreach (var n in _nodes)
        {
            n.Node?.Tick();
        }
        // Several rounds per tick, so that zero-delay messages complete a round trip in a tick.
        for (var round = 0; round < 4; round++)
        {
            var any = false;
            foreach (var n in _nodes)
            {
                any |= ProcessReady(n);
            }
            any |= Deliver();
            CheckElectionSafety();
            if (!any)
            {
                break;
            }
        }
    }

    private bool Deliver()
    {
        var due = _network.Where(f => f.DeliverAt <= _now).ToList();
        if (due.Count == 0)
        {
            return false;
        }
        _network.RemoveAll(f => f.DeliverAt <= _now);
        // Reordering: due messages go out in a random order.
        for (var i = due.Count - 1; i > 0; i--)
        {
            var j = _rng.Next(i + 1);
            (due[i], due[j]) = (due[j], due[i]);
        }
        foreach (var f in due)
        {
            var m = f.Message;
            var to = _nodes.FirstOrDefault(x => x.Id == m.To);
            var from = _nodes.FirstOrDefault(x => x.Id == m.From);
            var delivered = to is { Up: true };
            if (delivered)
            {
                try
                {
                    to!.Node!.Step(m);
                }
                catch (ProposalDroppedException)
                {
                }
            }
            if (m.Type == MessageType.MsgSnap && from is { Up: true })
            {
                // The host reports how sending a snapshot went.
                from.Node!.ReportSnapshot(m.To, delivered ? SnapshotStatus.Finish : SnapshotStatus.Failure);
            }
        }
        return true;
    }

    private void Send(Message m)
    {
        if (_cut.Contains((m.From, m.To)) || _rng.NextDouble() < _dropRate)
        {
            if (m.Type == MessageType.MsgSnap)
            {
                _nodes.First(x => x.Id == m.From).Node?.ReportSnapshot(m.To, SnapshotStatus.Failure);
            }
            return;
        }
        _network.Add(new InFlight(_now + _rng.Next(_maxDelay + 1), m));
        if (_rng.NextDouble() < _dupRate)
        {
            _network.Add(new InFlight(_now + _rng.Next(_maxDelay + 2), m.Clone()));
        }
    }

    /// <summary>One pass of the host loop: persist, send, apply, advance.</summary>
    private bool ProcessReady(SimNode n)
    {
        var node = n.Node;
        if (node is null || !node.HasReady())
        {
            return false;
        }
        RecordCommits(n);
        var rd = node.Ready();
        // A crash can come between taking a Ready and persisting it: it is all lost.
        if (_chaos && _rng.NextDouble() < 0.002)
        {
            Crash(n);
            return true;
        }
        if (rd.Snapshot is { } snap && snap.Metadata is not null && snap.Metadata.Index > 0)
        {
            n.Storage.ApplySnapshot(snap);
            n.StateHash = BinaryPrimitives.ReadUInt64BigEndian(snap.Data.Span);
            n.Applied = snap.Metadata.Index;
            n.ConfState = snap.Metadata.ConfState.Clone();
            if (_hashAfter.TryGetValue(n.Applied, out var h) && h != n.StateHash)
            {
                throw Fail($"state machine safety: node {n.Id} restored a snapshot at {n.Applied} whose state differs from what was applied there");
            }
            Trace($"{n.Id} restored snapshot at {n.Applied}");
        }
        foreach (var e in rd.Entries)
        {
            CheckLogEntry(n, e);
        }
        foreach (var rs in rd.ReadStates)
        {
            if (_readFloor.TryGetValue(rs.RequestContext, out var floor) && rs.Index < floor)
            {
                throw Fail($"linearizable read: {rs.RequestContext.ToStringUtf8()} at node {n.Id} got read index {rs.Index}, " +
                    $"but {floor} had been applied before it was issued");
            }
            _readsAnswered++;
        }
        n.Storage.Append(rd.Entries);
        if (rd.HardState is { } hs)
        {
            n.Storage.SetHardState(hs);
        }
        foreach (var m in rd.Messages)
        {
            // Each peer gets its own copy: entries are shared with the sender's log otherwise.
            Send(m.Clone());
        }
        var removedSelf = false;
        foreach (var e in rd.CommittedEntries)
        {
            removedSelf |= Apply(n, e);
        }
        node.Advance(rd);
        if (n.Applied - n.Storage.FirstIndex() + 1 > CompactEvery)
        {
            if (n.Storage.Snapshot().Metadata.Index < n.Applied)
            {
                n.Storage.CreateSnapshot(n.Applied, n.ConfState, HashBytes(n.StateHash));
            }
            n.Storage.Compact(n.Applied);
        }
        if (removedSelf)
        {
            Trace($"{n.Id} applied its own removal and shuts down");
            n.Node = null;
            n.Decommissioned = true;
        }
        return true;
    }

    private bool Apply(SimNode n, Entry e)
    {
        if (e.Index != n.Applied + 1)
        {
            throw Fail($"node {n.Id} applies index {e.Index} after {n.Applied}");
        }
        if (_appliedAt.TryGetValue(e.Index, out var prior))
        {
            if (prior.Term != e.Term || prior.Data != e.Data)
            {
                throw Fail($"state machine safety: node {n.Id} applied {e} at {e.Index}, another node applied term {prior.Term} data {prior.Data.ToStringUtf8()}");
            }
        }
        else
        {
            _appliedAt[e.Index] = (e.Term, e.Data);
        }
        n.StateHash = Mix(n.StateHash, e);
        n.Applied = e.Index;
        _maxApplied = Math.Max(_maxApplied, e.Index);
        if (_hashAfter.TryGetValue(e.Index, out var h))
        {
            if (h != n.StateHash)
            {
                throw Fail($"state machine safety: node {n.Id} state after {e.Index} differs");
            }
        }
        else
        {
            _hashAfter[e.Index] = n.StateHash;
        }
        var removedSelf = false;
        if (e.Type == EntryType.EntryConfChange)
        {
            var cc = ConfChange.Parser.ParseFrom(e.Data);
            n.ConfState = n.Node!.ApplyConfChange(cc);
            // Keep the snapshot's configuration current so that a member added since can be
            // sent a snapshot that includes it.
            n.Storage.CreateSnapshot(e.Index, n.ConfState, HashBytes(n.StateHash));
            removedSelf = cc.Type == ConfChangeType.ConfChangeRemoveNode && cc.NodeId == n.Id;
            if (cc.Type == ConfChangeType.ConfChangeRemoveNode)
            {
                _removed.Add(cc.NodeId);
            }
            Trace($"{n.Id} applied conf change {cc.Type} {cc.NodeId} at {e.Index}: voters [{string.Join(",", n.ConfState.Voters)}] learners [{string.Join(",", n.ConfState.Learners)}]");
        }
        else if (!e.Data.IsEmpty)
        {
            _acked.TryAdd(e.Data, e.Index);
        }
        return removedSelf;
    }

    private void CheckLogEntry(SimNode n, Entry e)
    {
        var key = (e.Index, e.Term);
        if (_logEntries.TryGetValue(key, out var prior))
        {
            if (prior.Type != e.Type || prior.Data != e.Data)
            {
                throw Fail($"log matching: node {n.Id} has {e} but another node has type {prior.Type} data {prior.Data.ToStringUtf8()} at the same index and term");
            }
        }
        else
        {
            _logEntries[key] = (e.Type, e.Data);
        }
    }

    private void CheckElectionSafety()
    {
        foreach (var n in _nodes)
        {
            if (n.Node is null)
            {
                continue;
            }
            var r = n.Node.Raft;
            if (r.State != RaftRole.Leader)
            {
                n.WasLeader = false;
                continue;
            }
            if (_leaderOfTerm.TryGetValue(r.Term, out var other) && other != n.Id)
            {
                throw Fail($"election safety: nodes {other} and {n.Id} are both leaders of term {r.Term}");
            }
            _leaderOfTerm[r.Term] = n.Id;
            RecordCommits(n);
            if (!n.WasLeader || n.LeaderTerm != r.Term)
            {
                n.WasLeader = true;
                n.LeaderTerm = r.Term;
                Trace($"{n.Id} is leader of term {r.Term}");
                CheckLeaderCompleteness(n);
            }
        }
    }

    /// <summary>
    /// Leader completeness: a leader of term T holds every entry committed by a leader of an
    /// earlier term (entries committed in term T or later may legitimately be missing from a
    /// leader whose election completed late).
    /// </summary>
    private void CheckLeaderCompleteness(SimNode n)
    {
        if (n.Node is null || n.Node.Raft.State != RaftRole.Leader)
        {
            return;
        }
        var r = n.Node.Raft;
        var log = r.Log;
        foreach (var (index, (entryTerm, commitTerm)) in _committed)
        {
            if (commitTerm >= r.Term || index < log.FirstIndex())
            {
                continue;
            }
            var have = log.Term(index);
            if (have != entryTerm)
            {
                throw Fail($"leader completeness: leader {n.Id} of term {r.Term} has term {have} at {index} (last {log.LastIndex()}), " +
                    $"where an entry of term {entryTerm} was committed in term {commitTerm}");
            }
        }
    }

    /// <summary>Notes which entries a leader has committed, and in which term.</summary>
    private void RecordCommits(SimNode n)
    {
        var r = n.Node?.Raft;
        if (r is null || r.State != RaftRole.Leader)
        {
            return;
        }
        for (var i = Math.Max(_maxCommitRecorded + 1, r.Log.FirstIndex()); i <= r.Log.Committed; i++)
        {
            _committed[i] = (r.Log.Term(i) ?? 0, r.Term);
        }
        _maxCommitRecorded = Math.Max(_maxCommitRecorded, r.Log.Committed);
        // Old entries are covered by every later check already: keep the map small.
        if (_committed.Count > 256)
        {
            foreach (var k in _committed.Keys.Where(k => k + 128 < _maxCommitRecorded).ToList())
            {
                _committed.Remove(k);
            }
        }
    }

    /// <summary>
    /// A removed member that never learned of its removal (it was down or cut off) would campaign
    /// forever; its host shuts it down once the removal is committed, as an operator would.
    /// </summary>
    private void ShutDownNonMembers()
    {
        foreach (var n in _nodes)
        {
            if (n.Up && _removed.Contains(n.Id))
            {
                Trace($"shut down {n.Id}: removed");
                n.Node = null;
                n.Decommissioned = true;
            }
        }
    }

    private bool MembersCaughtUp(ulong index)
    {
        var leader = CurrentLeader();
        if (leader is null)
        {
            return false;
        }
        foreach (var id in leader.Node!.Raft.Tracker.Progress.Keys)
        {
            var n = _nodes.First(x => x.Id == id);
            if (!n.Up || n.Applied < index)
            {
                return false;
            }
        }
        return true;
    }

    private static string Describe(SimNode n)
    {
        if (n.Node is null)
        {
            return $"{n.Id}: {(n.Decommissioned ? "decommissioned" : "down")}";
        }
        var r = n.Node.Raft;
        return $"{n.Id}: {r.State} term={r.Term} lead={r.Lead} commit={r.Log.Committed} applied={n.Applied} last={r.Log.LastIndex()} " +
            $"voters=[{string.Join(",", r.Tracker.Voters)}] learners=[{string.Join(",", r.Tracker.Learners)}]";
    }

    private static ulong Mix(ulong hash, Entry e)
    {
        const ulong prime = 1099511628211;
        hash = (hash ^ e.Index) * prime;
        hash = (hash ^ e.Term) * prime;
        hash = (hash ^ (ulong)e.Type) * prime;
        foreach (var b in e.Data.Span)
        {
            hash = (hash ^ b) * prime;
        }
        return hash;
    }

    private static ByteString HashBytes(ulong hash)
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(bytes, hash);
        return ByteString.CopyFrom(bytes);
    }

    private void Trace(string line) => _trace?.Add($"[{_now}] {line}");

    private InvalidOperationException Fail(string message)
    {
        var sb = new StringBuilder();
        sb.Append(Description).Append(" (replay with RAFT_SEED=").Append(_seed).Append("): ").Append(message);
        if (_trace is not null)
        {
            foreach (var line in _trace.TakeLast(300))
            {
                sb.AppendLine().Append(line);
            }
        }
        return new InvalidOperationException(sb.ToString());
    }
}
