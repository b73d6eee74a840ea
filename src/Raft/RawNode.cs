using Google.Protobuf;
using MiniKube.Raft.Pb;

namespace MiniKube.Raft;

/// <summary>
/// The host's handle on one Raft node (etcd raft's <c>rawnode.go</c>): single-threaded and
/// synchronous. The host loop calls <see cref="Tick"/> on a timer and <see cref="Step"/> for each
/// message from a peer; whenever <see cref="HasReady"/> it takes a <see cref="Ready"/>, does
/// what it says (persist, send, apply) and calls <see cref="Advance"/>. Never called concurrently.
/// </summary>
public sealed class RawNode
{
    private readonly Raft _raft;
    private SoftState _prevSoftState;
    private HardState _prevHardState;

    public RawNode(RaftConfig config)
    {
        _raft = new Raft(config);
        _prevSoftState = _raft.SoftState;
        _prevHardState = _raft.HardState;
    }

    public ulong Id => _raft.Id;

    internal Raft Raft => _raft;

    /// <summary>Advances the logical clock by one tick (heartbeats and election timeouts count ticks).</summary>
    public void Tick() => _raft.Tick();

    /// <summary>Starts an election now instead of waiting for the timeout.</summary>
    public void Campaign() => _raft.Step(new Message { Type = MessageType.MsgHup });

    /// <summary>
    /// Proposes data to be appended to the log. Throws <see cref="ProposalDroppedException"/> when
    /// it cannot be accepted (no leader known, leadership transfer under way). Acceptance does
    /// not mean it will commit: watch the committed entries.
    /// </summary>
    public void Propose(ByteString data)
    {
        var m = new Message { Type = MessageType.MsgProp, From = _raft.Id };
        m.Entries.Add(new Entry { Data = data });
        _raft.Step(m);
    }

    /// <summary>
    /// Proposes a membership change. The leader accepts one at a time: while one is unapplied a
    /// further one is committed as an empty normal entry instead, i.e. it never takes effect.
    /// </summary>
    public void ProposeConfChange(ConfChange cc)
    {
        var m = new Message { Type = MessageType.MsgProp, From = _raft.Id };
        m.Entries.Add(new Entry { Type = EntryType.EntryConfChange, Data = cc.ToByteString() });
        _raft.Step(m);
    }

    /// <summary>
    /// Applies a committed conf change (the host calls it when it applies the entry) and returns
    /// the resulting configuration, which the host records with its next snapshot.
    /// </summary>
    public ConfState ApplyConfChange(ConfChange cc) => _raft.ApplyConfChange(cc);

    /// <summary>
    /// Handles a message from a peer. Returns false when it was a response from a node not in the
    /// configuration (ignored). Local message types are refused.
    /// </summary>
    public bool Step(Message m)
    {
        if (IsLocalMessage(m.Type))
        {
            throw new ArgumentException($"cannot step raft local message {m.Type}", nameof(m));
        }
        if (_raft.Tracker.Progress.ContainsKey(m.From) || !IsResponseMessage(m.Type))
        {
            _raft.Step(m);
            return true;
        }
        return false;
    }

    /// <summary>
    /// Asks for a linearizable read point. The answer comes as a <see cref="ReadState"/> carrying
    /// <paramref name="requestContext"/> (which must be unique) in a later Ready; throws
    /// <see cref="ProposalDroppedException"/> when no leader is known.
    /// </summary>
    public void ReadIndex(ByteString requestContext)
    {
        var m = new Message { Type = MessageType.MsgReadIndex, From = _raft.Id };
        m.Entries.Add(new Entry { Data = requestContext });
        _raft.Step(m);
    }

    /// <summary>Asks the leader to hand leadership to <paramref name="transferee"/>.</summary>
    public void TransferLeader(ulong transferee) =>
        _raft.Step(new Message { Type = MessageType.MsgTransferLeader, From = transferee });

    /// <summary>The host failed to send to <paramref name="id"/>: the leader stops pipelining to it.</summary>
    public void ReportUnreachable(ulong id) =>
        _raft.Step(new Message { Type = MessageType.MsgUnreachable, From = id });

    /// <summary>Reports how sending a snapshot to <paramref name="id"/> ended.</summary>
    public void ReportSnapshot(ulong id, SnapshotStatus status) =>
        _raft.Step(new Message { Type = MessageType.MsgSnapStatus, From = id, Reject = status == SnapshotStatus.Failure });

    public bool HasReady()
    {
        var r = _raft;
        if (r.SoftState != _prevSoftState)
        {
            return true;
        }
        var hs = r.HardState;
        if (!Raft.IsEmpty(hs) && !hs.Equals(_prevHardState))
        {
            return true;
        }
        return r.Log.HasPendingSnapshot()
            || r.Messages.Count > 0
            || r.Log.Unstable.Entries.Count > 0
            || r.Log.HasNextEntries()
            || r.ReadStates.Count > 0;
    }

    /// <summary>
    /// The work accumulated since the last Ready. Messages and read states are handed over (a
    /// second call does not repeat them); entries stay pending until <see cref="Advance"/>.
    /// </summary>
    public Ready Ready()
    {
        var r = _raft;
        var softState = r.SoftState;
        var hardState = r.HardState;
        var entries = r.Log.UnstableEntries();
        var hardChanged = !Raft.IsEmpty(hardState) && !hardState.Equals(_prevHardState);
        var ready = new Ready
        {
            SoftState = softState != _prevSoftState ? softState : null,
            HardState = hardChanged ? hardState : null,
            Entries = entries,
            Snapshot = r.Log.Unstable.Snapshot,
            CommittedEntries = r.Log.NextEntries(),
            Messages = r.Messages,
            ReadStates = r.ReadStates,
            MustSync = entries.Count > 0 || hardState.Vote != _prevHardState.Vote || hardState.Term != _prevHardState.Term,
        };
        if (ready.SoftState is { } s)
        {
            _prevSoftState = s;
        }
        r.Messages = [];
        r.ReadStates = [];
        return ready;
    }

    /// <summary>The host has persisted, sent and applied everything in <paramref name="ready"/>.</summary>
    public void Advance(Ready ready)
    {
        if (ready.HardState is { } hs)
        {
            _prevHardState = hs;
        }
        _raft.Advance(ready);
    }

    public RaftStatus Status() => _raft.Status();

    private static bool IsLocalMessage(MessageType t) =>
        t is MessageType.MsgHup or MessageType.MsgBeat or MessageType.MsgUnreachable
            or MessageType.MsgSnapStatus or MessageType.MsgCheckQuorum;

    private static bool IsResponseMessage(MessageType t) =>
        t is MessageType.MsgAppResp or MessageType.MsgVoteResp or MessageType.MsgHeartbeatResp
            or MessageType.MsgUnreachable or MessageType.MsgPreVoteResp;
}
