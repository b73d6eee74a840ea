using Google.Protobuf;
using MiniKube.Raft.Pb;

namespace MiniKube.Raft;

/// <summary>
/// The Raft state machine of one node (etcd raft's <c>raft.go</c>): no I/O, no clock, no
/// threads. Input arrives through <see cref="Tick"/> and <see cref="Step"/>; output accumulates
/// in <see cref="Messages"/>, <see cref="ReadStates"/> and the log's unstable part, which
/// <see cref="RawNode"/> hands to the host. Never called concurrently.
/// </summary>
internal sealed partial class Raft
{
    public const ulong None = 0;

    // The context of a MsgVote sent because of a leadership transfer: lets it through the
    // check-quorum lease of the voters.
    internal static readonly ByteString CampaignTransferContext = ByteString.CopyFromUtf8("CampaignTransfer");

    private readonly Random _random;
    private readonly int _heartbeatTimeout;
    private readonly int _electionTimeout;
    private readonly ulong _maxMsgSize;
    private readonly bool _checkQuorum;
    private readonly bool _preVote;
    private readonly IRaftLogger _logger;

    private Action _tick;
    private Action<Message> _step;
    private int _randomizedElectionTimeout;

    // Conf-change proposals at or below this index may still be unapplied: a leader accepts no
    // other conf change until the host has applied past it.
    private ulong _pendingConfIndex;

    private ReadOnly _readOnly = new();

    // ReadIndex requests that arrived before this leader committed an entry of its own term (it
    // cannot know the commit index until then).
    private readonly List<Message> _pendingReadIndexMessages = [];

    public ulong Id { get; }

    public ulong Term { get; private set; }

    public ulong Vote { get; private set; }

    public RaftLog Log { get; }

    public ProgressTracker Tracker { get; }

    public RaftRole State { get; private set; }

    public bool IsLearner { get; private set; }

    public ulong Lead { get; private set; }

    public ulong LeadTransferee { get; private set; }

    public int ElectionElapsed { get; internal set; }

    public int HeartbeatElapsed { get; private set; }

    public int RandomizedElectionTimeout => _randomizedElectionTimeout;

    public List<Message> Messages { get; set; } = [];

    public List<ReadState> ReadStates { get; set; } = [];

    public Raft(RaftConfig config)
    {
        config.Validate();
        Id = config.Id;
        _logger = config.Logger;
        _random = config.Random ?? new Random(config.RandomSeed);
        _heartbeatTimeout = config.HeartbeatTick;
        _electionTimeout = config.ElectionTick;
        _maxMsgSize = config.MaxSizePerMsg;
        _checkQuorum = config.CheckQuorum;
        _preVote = config.PreVote;
        var maxCommitted = config.MaxCommittedSizePerReady == 0 ? config.MaxSizePerMsg : config.MaxCommittedSizePerReady;
        Log = new RaftLog(config.Storage, maxCommitted);
        Tracker = new ProgressTracker(config.MaxInflightMsgs);

        var (hardState, confState) = config.Storage.InitialState();
        Tracker.Restore(confState, Log.LastIndex());
        IsLearner = Tracker.Learners.Contains(Id);
        if (!IsEmpty(hardState))
        {
            LoadState(hardState);
        }
        if (config.Applied > 0)
        {
            Log.AppliedTo(config.Applied);
        }
        _tick = TickElection;
        _step = StepFollower;
        BecomeFollower(Term, None);
        _logger.Info($"newRaft {Id} [peers: [{string.Join(",", Tracker.Voters)}], term: {Term}, commit: {Log.Committed}, " +
            $"applied: {Log.Applied}, lastindex: {Log.LastIndex()}, lastterm: {Log.LastTerm()}]");
    }

    public bool HasLeader => Lead != None;

    public SoftState SoftState => new(Lead, State);

    public HardState HardState => new() { Term = Term, Vote = Vote, Commit = Log.Committed };

    internal static bool IsEmpty(HardState hs) => hs.Term == 0 && hs.Vote == 0 && hs.Commit == 0;

    internal static bool IsEmpty(Snapshot? snapshot) => snapshot?.Metadata is null || snapshot.Metadata.Index == 0;

    private void LoadState(HardState hs)
    {
        if (hs.Commit < Log.Committed || hs.Commit > Log.LastIndex())
        {
            throw new InvalidOperationException(
                $"{Id} state.commit {hs.Commit} is out of range [{Log.Committed}, {Log.LastIndex()}]");
        }
        Log.Committed = hs.Commit;
        Term = hs.Term;
        Vote = hs.Vote;
    }

    /// <summary>A node may campaign only as a voter, and not while a snapshot is unpersisted.</summary>
    public bool Promotable() =>
        Tracker.Progress.TryGetValue(Id, out var pr) && !pr.IsLearner && !Log.HasPendingSnapshot();

    public void Tick() => _tick();

    private void Send(Message m)
    {
        if (m.From == None)
        {
            m.From = Id;
        }
        if (m.Type is MessageType.MsgVote or MessageType.MsgVoteResp or MessageType.MsgPreVote or MessageType.MsgPreVoteResp)
        {
            // Votes carry the term they are for (a pre-vote's is one ahead of ours).
            if (m.Term == 0)
            {
                throw new InvalidOperationException($"term should be set when sending {m.Type}");
            }
        }
        else
        {
            if (m.Term != 0)
            {
                throw new InvalidOperationException($"term should not be set when sending {m.Type} (was {m.Term})");
            }
            // Proposals and read requests forwarded to the leader keep term 0: they are local
            // messages to it.
            if (m.Type is not MessageType.MsgProp and not MessageType.MsgReadIndex)
            {
                m.Term = Term;
            }
        }
        Messages.Add(m);
    }

    internal void SendAppend(ulong to) => MaybeSendAppend(to, sendIfEmpty: true);

    /// <summary>
    /// Sends the next entries (or a snapshot when they are compacted) to <paramref name="to"/>
    /// unless its progress is paused; false when nothing was sent.
    /// </summary>
    internal bool MaybeSendAppend(ulong to, bool sendIfEmpty)
    {
        var pr = Tracker.Progress[to];
        if (pr.IsPaused())
        {
            return false;
        }
        var m = new Message { To = to };
        var term = Log.Term(pr.Next - 1);
        IReadOnlyList<Entry>? entries = null;
        try
        {
            entries = Log.Entries(pr.Next, _maxMsgSize);
        }
        catch (CompactedException)
        {
        }
        if (entries is { Count: 0 } && !sendIfEmpty)
        {
            return false;
        }
        if (term is null || entries is null)
        {
            // The follower needs entries we compacted: send the snapshot instead, but only to a
            // follower that is alive, as snapshots are expensive.
            if (!pr.RecentActive)
            {
                _logger.Debug($"ignore sending snapshot to {to} since it is not recently active");
                return false;
            }
            Snapshot snapshot;
            try
            {
                snapshot = Log.Snapshot();
            }
            catch (SnapshotTemporarilyUnavailableException)
            {
                _logger.Debug($"{Id} failed to send snapshot to {to} because snapshot is temporarily unavailable");
                return false;
            }
            if (IsEmpty(snapshot))
            {
                throw new InvalidOperationException("need non-empty snapshot");
            }
            m.Type = MessageType.MsgSnap;
            m.Snapshot = snapshot;
            pr.BecomeSnapshot(snapshot.Metadata.Index);
            _logger.Debug($"{Id} [firstindex: {Log.FirstIndex()}, commit: {Log.Committed}] sent snapshot[index: {snapshot.Metadata.Index}, term: {snapshot.Metadata.Term}] to {to}");
        }
        else
        {
            m.Type = MessageType.MsgApp;
            m.Index = pr.Next - 1;
            m.LogTerm = term.Value;
            m.Entries.AddRange(entries);
            m.Commit = Log.Committed;
            if (entries.Count != 0)
            {
                switch (pr.State)
                {
                    case ProgressState.Replicate:
                        var last = entries[^1].Index;
                        pr.OptimisticUpdate(last);
                        pr.Inflights.Add(last);
                        break;
                    case ProgressState.Probe:
                        pr.ProbeSent = true;
                        break;
                    default:
                        throw new InvalidOperationException($"{Id} is sending append in unhandled state {pr.State}");
                }
            }
        }
        Send(m);
        return true;
    }

    private void SendHeartbeat(ulong to, ByteString? context)
    {
        // Never tell a follower to commit past what it is known to have: it may not have it.
        var commit = Math.Min(Tracker.Progress[to].Match, Log.Committed);
        var m = new Message { To = to, Type = MessageType.MsgHeartbeat, Commit = commit };
        if (context is not null)
        {
            m.Context = context;
        }
        Send(m);
    }

    internal void BroadcastAppend()
    {
        foreach (var id in Tracker.Progress.Keys.ToList())
        {
            if (id != Id)
            {
                SendAppend(id);
            }
        }
    }

    internal void BroadcastHeartbeat() => BroadcastHeartbeat(_readOnly.LastPendingRequestContext());

    private void BroadcastHeartbeat(ByteString? context)
    {
        foreach (var id in Tracker.Progress.Keys)
        {
            if (id != Id)
            {
                SendHeartbeat(id, context);
            }
        }
    }

    /// <summary>The host has persisted and applied what <paramref name="ready"/> held.</summary>
    internal void Advance(Ready ready)
    {
        ulong newApplied = 0;
        if (ready.CommittedEntries.Count > 0)
        {
            newApplied = ready.CommittedEntries[^1].Index;
        }
        else if (ready.Snapshot is { } s && !IsEmpty(s))
        {
            newApplied = s.Metadata.Index;
        }
        if (newApplied > 0)
        {
            Log.AppliedTo(newApplied);
        }
        if (ready.Entries.Count > 0)
        {
            var e = ready.Entries[^1];
            Log.StableTo(e.Index, e.Term);
        }
        if (ready.Snapshot is { } snap && !IsEmpty(snap))
        {
            Log.StableSnapTo(snap.Metadata.Index);
        }
    }

    internal bool MaybeCommit() => Log.MaybeCommit(Tracker.Committed(), Term);

    private void Reset(ulong term)
    {
        if (Term != term)
        {
            Term = term;
            Vote = None;
        }
        Lead = None;
        ElectionElapsed = 0;
        HeartbeatElapsed = 0;
        ResetRandomizedElectionTimeout();
        AbortLeaderTransfer();
        Tracker.ResetVotes();
        var lastIndex = Log.LastIndex();
        foreach (var (id, pr) in Tracker.Progress)
        {
            pr.ResetState(ProgressState.Probe);
            pr.Match = id == Id ? lastIndex : 0;
            pr.Next = lastIndex + 1;
            pr.RecentActive = false;
        }
        _pendingConfIndex = 0;
        _readOnly = new ReadOnly();
        _pendingReadIndexMessages.Clear();
    }

    private void AppendEntries(List<Entry> entries)
    {
        var lastIndex = Log.LastIndex();
        for (var i = 0; i < entries.Count; i++)
        {
            entries[i].Term = Term;
            entries[i].Index = lastIndex + 1 + (ulong)i;
        }
        lastIndex = Log.Append(entries);
        // The leader's own append counts towards the quorum; the host persists it before applying
        // (it may send the MsgApps while persisting, as etcd's does: thesis section 10.2.1).
        Tracker.Progress[Id].MaybeUpdate(lastIndex);
        MaybeCommit();
    }

    private void TickElection()
    {
        ElectionElapsed++;
        if (Promotable() && PastElectionTimeout())
        {
            ElectionElapsed = 0;
            Step(new Message { From = Id, Type = MessageType.MsgHup });
        }
    }

    private void TickHeartbeat()
    {
        HeartbeatElapsed++;
        ElectionElapsed++;
        if (ElectionElapsed >= _electionTimeout)
        {
            ElectionElapsed = 0;
            if (_checkQuorum)
            {
                Step(new Message { From = Id, Type = MessageType.MsgCheckQuorum });
            }
            // A transfer that did not finish within an election timeout has failed.
            if (State == RaftRole.Leader && LeadTransferee != None)
            {
                AbortLeaderTransfer();
            }
        }
        if (State != RaftRole.Leader)
        {
            return;
        }
        if (HeartbeatElapsed >= _heartbeatTimeout)
        {
            HeartbeatElapsed = 0;
            Step(new Message { From = Id, Type = MessageType.MsgBeat });
        }
    }

    internal void BecomeFollower(ulong term, ulong lead)
    {
        _step = StepFollower;
        Reset(term);
        _tick = TickElection;
        Lead = lead;
        State = RaftRole.Follower;
        _logger.Info($"{Id} became follower at term {Term}");
    }

    internal void BecomeCandidate()
    {
        if (State == RaftRole.Leader)
        {
            throw new InvalidOperationException("invalid transition [leader -> candidate]");
        }
        _step = StepCandidate;
        Reset(Term + 1);
        _tick = TickElection;
        Vote = Id;
        State = RaftRole.Candidate;
        _logger.Info($"{Id} became candidate at term {Term}");
    }

    internal void BecomePreCandidate()
    {
        if (State == RaftRole.Leader)
        {
            throw new InvalidOperationException("invalid transition [leader -> pre-candidate]");
        }
        // A pre-candidate changes neither term nor vote: it only asks whether it could win.
        _step = StepCandidate;
        Tracker.ResetVotes();
        _tick = TickElection;
        Lead = None;
        State = RaftRole.PreCandidate;
        _logger.Info($"{Id} became pre-candidate at term {Term}");
    }

    internal void BecomeLeader()
    {
        if (State == RaftRole.Follower)
        {
            throw new InvalidOperationException("invalid transition [follower -> leader]");
        }
        _step = StepLeader;
        Reset(Term);
        _tick = TickHeartbeat;
        Lead = Id;
        State = RaftRole.Leader;
        var self = Tracker.Progress[Id];
        self.BecomeReplicate();
        self.RecentActive = true;
        // Conservatively assume the log's tail may hold an unapplied conf change.
        _pendingConfIndex = Log.LastIndex();
        // An entry of our own term: committing it commits everything before it (Raft §5.4.2)
        // and tells us the commit index for ReadIndex.
        AppendEntries([new Entry()]);
        _logger.Info($"{Id} became leader at term {Term}");
    }

    private bool PastElectionTimeout() => ElectionElapsed >= _randomizedElectionTimeout;

    private void ResetRandomizedElectionTimeout() =>
        _randomizedElectionTimeout = _electionTimeout + _random.Next(_electionTimeout);

    private void SendTimeoutNow(ulong to) => Send(new Message { To = to, Type = MessageType.MsgTimeoutNow });

    private void AbortLeaderTransfer() => LeadTransferee = None;

    private bool CommittedEntryInCurrentTerm() => Log.ZeroTermOnCompacted(Log.Committed) == Term;

    /// <summary>Applies a committed membership change and returns the new configuration.</summary>
    internal ConfState ApplyConfChange(ConfChange cc)
    {
        Tracker.Apply(cc, Log.LastIndex());
        return SwitchToConfig();
    }

    private ConfState SwitchToConfig()
    {
        var cs = Tracker.ConfState();
        var inConfig = Tracker.Progress.TryGetValue(Id, out var pr);
        IsLearner = inConfig && pr!.IsLearner;
        if ((!inConfig || IsLearner) && State == RaftRole.Leader)
        {
            // A leader that removed or demoted itself keeps leading (as etcd does) until
            // check-quorum or a transfer deposes it; it no longer counts towards quorums.
            return cs;
        }
        if (State != RaftRole.Leader || cs.Voters.Count == 0)
        {
            return cs;
        }
        // The quorum changed: something may be committed now, and new members need entries.
        if (MaybeCommit())
        {
            BroadcastAppend();
        }
        else
        {
            foreach (var id in Tracker.Progress.Keys.ToList())
            {
                if (id != Id)
                {
                    MaybeSendAppend(id, sendIfEmpty: false);
                }
            }
        }
        if (LeadTransferee != None && !Tracker.Voters.Contains(LeadTransferee))
        {
            AbortLeaderTransfer();
        }
        return cs;
    }

    internal RaftStatus Status()
    {
        var progress = State == RaftRole.Leader
            ? Tracker.Progress.ToDictionary(kv => kv.Key, kv => kv.Value.Copy())
            : [];
        return new RaftStatus(Id, Term, Vote, Log.Committed, Lead, State, Log.Applied, LeadTransferee, progress);
    }
}
