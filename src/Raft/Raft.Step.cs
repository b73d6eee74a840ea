using MiniKube.Raft.Pb;

namespace MiniKube.Raft;

// Message handling: the term checks common to every role, then one step function per role.
internal sealed partial class Raft
{
    private enum CampaignType
    {
        PreElection,
        Election,
        Transfer,
    }

    /// <summary>
    /// Handles one message. Throws <see cref="ProposalDroppedException"/> when a proposal or
    /// ReadIndex request cannot be accepted.
    /// </summary>
    public void Step(Message m)
    {
        if (m.Term == 0)
        {
            // A local message (tick-generated, or a proposal forwarded by a follower).
        }
        else if (m.Term > Term)
        {
            if (m.Type is MessageType.MsgVote or MessageType.MsgPreVote)
            {
                var force = m.Context.Equals(CampaignTransferContext);
                var inLease = _checkQuorum && Lead != None && ElectionElapsed < _electionTimeout;
                if (!force && inLease)
                {
                    // We heard from a leader within the election timeout: it is alive, so this
                    // candidate was cut off from it and must not disrupt the cluster.
                    _logger.Info($"{Id} [logterm: {Log.LastTerm()}, index: {Log.LastIndex()}, vote: {Vote}] ignored {m.Type} from {m.From} " +
                        $"[logterm: {m.LogTerm}, index: {m.Index}] at term {Term}: lease is not expired (remaining ticks: {_electionTimeout - ElectionElapsed})");
                    return;
                }
            }
            if (m.Type == MessageType.MsgPreVote)
            {
                // Never change our term in response to a pre-vote.
            }
            else if (m.Type == MessageType.MsgPreVoteResp && !m.Reject)
            {
                // A granted pre-vote carries the future term; we bump it only once a quorum grants.
            }
            else
            {
                _logger.Info($"{Id} [term: {Term}] received a {m.Type} message with higher term from {m.From} [term: {m.Term}]");
                var leader = m.Type is MessageType.MsgApp or MessageType.MsgHeartbeat or MessageType.MsgSnap ? m.From : None;
                BecomeFollower(m.Term, leader);
            }
        }
        else if (m.Term < Term)
        {
            if ((_checkQuorum || _preVote) && m.Type is MessageType.MsgHeartbeat or MessageType.MsgApp)
            {
                // A stale leader (maybe partitioned away, or just restarted) would otherwise never
                // learn of the new term: with check-quorum or pre-vote our term does not rise
                // from its votes. This response carries our term and deposes it.
                Send(new Message { To = m.From, Type = MessageType.MsgAppResp });
            }
            else if (m.Type == MessageType.MsgPreVote)
            {
                // Reject explicitly so a pre-candidate with a stale term learns of ours.
                Send(new Message { To = m.From, Term = Term, Type = MessageType.MsgPreVoteResp, Reject = true });
            }
            else
            {
                _logger.Debug($"{Id} [term: {Term}] ignored a {m.Type} message with lower term from {m.From} [term: {m.Term}]");
            }
            return;
        }

        switch (m.Type)
        {
            case MessageType.MsgHup:
                Hup(_preVote ? CampaignType.PreElection : CampaignType.Election);
                break;
            case MessageType.MsgVote or MessageType.MsgPreVote:
                // We can vote for the node we already voted for (a repeat), for anyone if we have
                // neither voted nor a leader in this term, and in a pre-vote for a future term.
                var canVote = Vote == m.From
                    || (Vote == None && Lead == None)
                    || (m.Type == MessageType.MsgPreVote && m.Term > Term);
                var respType = m.Type == MessageType.MsgVote ? MessageType.MsgVoteResp : MessageType.MsgPreVoteResp;
                if (canVote && Log.IsUpToDate(m.Index, m.LogTerm))
                {
                    _logger.Info($"{Id} cast {m.Type} for {m.From} [logterm: {m.LogTerm}, index: {m.Index}] at term {Term}");
                    // The response carries the message's term: for a pre-vote our own is older.
                    Send(new Message { To = m.From, Term = m.Term, Type = respType });
                    if (m.Type == MessageType.MsgVote)
                    {
                        ElectionElapsed = 0;
                        Vote = m.From;
                    }
                }
                else
                {
                    _logger.Info($"{Id} rejected {m.Type} from {m.From} [logterm: {m.LogTerm}, index: {m.Index}] at term {Term}");
                    Send(new Message { To = m.From, Term = Term, Type = respType, Reject = true });
                }
                break;
            default:
                _step(m);
                break;
        }
    }

    private void Hup(CampaignType type)
    {
        if (State == RaftRole.Leader)
        {
            _logger.Debug($"{Id} ignoring MsgHup because already leader");
            return;
        }
        if (!Promotable())
        {
            _logger.Warning($"{Id} is unpromotable and can not campaign");
            return;
        }
        // A pending conf change in the committed but unapplied tail could change who votes: wait
        // until the host has applied it.
        if (Log.Committed > Log.Applied
            && Log.Slice(Log.Applied + 1, Log.Committed + 1, RaftLog.NoLimit).Any(e => e.Type == EntryType.EntryConfChange))
        {
            _logger.Warning($"{Id} cannot campaign at term {Term} since there are still pending configuration changes to apply");
            return;
        }
        _logger.Info($"{Id} is starting a new election at term {Term}");
        Campaign(type);
    }

    private void Campaign(CampaignType type)
    {
        ulong term;
        MessageType voteMsg;
        if (type == CampaignType.PreElection)
        {
            BecomePreCandidate();
            voteMsg = MessageType.MsgPreVote;
            // A pre-vote asks about the term we would campaign in.
            term = Term + 1;
        }
        else
        {
            BecomeCandidate();
            voteMsg = MessageType.MsgVote;
            term = Term;
        }
        var respType = voteMsg == MessageType.MsgVote ? MessageType.MsgVoteResp : MessageType.MsgPreVoteResp;
        if (Poll(Id, respType, granted: true) == VoteResult.Won)
        {
            // A single-voter cluster wins at once.
            if (type == CampaignType.PreElection)
            {
                Campaign(CampaignType.Election);
            }
            else
            {
                BecomeLeader();
            }
            return;
        }
        foreach (var id in Tracker.Voters)
        {
            if (id == Id)
            {
                continue;
            }
            _logger.Info($"{Id} [logterm: {Log.LastTerm()}, index: {Log.LastIndex()}] sent {voteMsg} request to {id} at term {Term}");
            var m = new Message { Term = term, To = id, Type = voteMsg, Index = Log.LastIndex(), LogTerm = Log.LastTerm() };
            if (type == CampaignType.Transfer)
            {
                m.Context = CampaignTransferContext;
            }
            Send(m);
        }
    }

    private VoteResult Poll(ulong id, MessageType type, bool granted)
    {
        _logger.Info(granted
            ? $"{Id} received {type} from {id} at term {Term}"
            : $"{Id} received {type} rejection from {id} at term {Term}");
        Tracker.RecordVote(id, granted);
        return Tracker.TallyVotes().Result;
    }

    private void StepLeader(Message m)
    {
        switch (m.Type)
        {
            case MessageType.MsgBeat:
                BroadcastHeartbeat();
                return;
            case MessageType.MsgCheckQuorum:
                if (!Tracker.QuorumActive())
                {
                    _logger.Warning($"{Id} stepped down to follower since quorum is not active");
                    BecomeFollower(Term, None);
                }
                foreach (var (id, pr) in Tracker.Progress)
                {
                    if (id != Id)
                    {
                        pr.RecentActive = false;
                    }
                }
                return;
            case MessageType.MsgProp:
                StepLeaderProposal(m);
                return;
            case MessageType.MsgReadIndex:
                if (Tracker.IsSingleton())
                {
                    // Alone we are the quorum: the commit index is safe to read at.
                    ReplyToReadIndex(m, Log.Committed);
                    return;
                }
                if (!CommittedEntryInCurrentTerm())
                {
                    // Until our first entry commits we do not know the cluster's commit index.
                    _pendingReadIndexMessages.Add(m);
                    return;
                }
                SendReadIndexHeartbeats(m);
                return;
        }

        if (!Tracker.Progress.TryGetValue(m.From, out var progress))
        {
            _logger.Debug($"{Id} no progress available for {m.From}");
            return;
        }
        switch (m.Type)
        {
            case MessageType.MsgAppResp:
                progress.RecentActive = true;
                if (m.Reject)
                {
                    _logger.Debug($"{Id} received MsgAppResp(rejected, hint: (index {m.RejectHint}, term {m.LogTerm})) from {m.From} for index {m.Index}");
                    var nextProbeIndex = m.RejectHint;
                    if (m.LogTerm > 0)
                    {
                        // Skip over all our entries of terms above the follower's term there.
                        nextProbeIndex = Log.FindConflictByTerm(m.RejectHint, m.LogTerm).Index;
                    }
                    if (progress.MaybeDecrTo(m.Index, nextProbeIndex))
                    {
                        if (progress.State == ProgressState.Replicate)
                        {
                            progress.BecomeProbe();
                        }
                        SendAppend(m.From);
                    }
                }
                else
                {
                    var oldPaused = progress.IsPaused();
                    if (progress.MaybeUpdate(m.Index))
                    {
                        if (progress.State == ProgressState.Probe)
                        {
                            progress.BecomeReplicate();
                        }
                        else if (progress.State == ProgressState.Snapshot && progress.Match >= progress.PendingSnapshot)
                        {
                            // The follower caught up past the snapshot (from it, or from entries).
                            progress.BecomeProbe();
                            progress.BecomeReplicate();
                        }
                        else if (progress.State == ProgressState.Replicate)
                        {
                            progress.Inflights.FreeLE(m.Index);
                        }

                        if (MaybeCommit())
                        {
                            ReleasePendingReadIndexMessages();
                            BroadcastAppend();
                        }
                        else if (oldPaused)
                        {
                            SendAppend(m.From);
                        }
                        // Pipelining: keep sending while the inflight window has room.
                        while (MaybeSendAppend(m.From, sendIfEmpty: false))
                        {
                        }
                        if (m.From == LeadTransferee && progress.Match == Log.LastIndex())
                        {
                            _logger.Info($"{Id} sent MsgTimeoutNow to {m.From} after received MsgAppResp");
                            SendTimeoutNow(m.From);
                        }
                    }
                }
                break;
            case MessageType.MsgHeartbeatResp:
                progress.RecentActive = true;
                progress.ProbeSent = false;
                // A full window with a live follower means acks were lost: free a slot to retry.
                if (progress.State == ProgressState.Replicate && progress.Inflights.Full)
                {
                    progress.Inflights.FreeFirstOne();
                }
                if (progress.Match < Log.LastIndex())
                {
                    SendAppend(m.From);
                }
                if (m.Context.IsEmpty)
                {
                    return;
                }
                var acks = _readOnly.ReceiveAck(m.From, m.Context);
                if (acks is null || Tracker.QuorumResult(acks) != VoteResult.Won)
                {
                    return;
                }
                foreach (var (request, index) in _readOnly.Advance(m.Context))
                {
                    ReplyToReadIndex(request, index);
                }
                break;
            case MessageType.MsgSnapStatus:
                if (progress.State != ProgressState.Snapshot)
                {
                    return;
                }
                if (m.Reject)
                {
                    progress.PendingSnapshot = 0;
                }
                // Either way wait for the follower's MsgAppResp (or a heartbeat) before probing.
                progress.BecomeProbe();
                progress.ProbeSent = true;
                break;
            case MessageType.MsgUnreachable:
                // The host could not reach the follower: stop pipelining into the void.
                if (progress.State == ProgressState.Replicate)
                {
                    progress.BecomeProbe();
                }
                break;
            case MessageType.MsgTransferLeader:
                if (progress.IsLearner)
                {
                    _logger.Debug($"{Id} is learner. Ignored transferring leadership");
                    return;
                }
                var transferee = m.From;
                if (LeadTransferee != None)
                {
                    if (LeadTransferee == transferee)
                    {
                        return;
                    }
                    AbortLeaderTransfer();
                }
                if (transferee == Id)
                {
                    return;
                }
                // The transfer must finish within an election timeout (see TickHeartbeat).
                ElectionElapsed = 0;
                LeadTransferee = transferee;
                if (progress.Match == Log.LastIndex())
                {
                    SendTimeoutNow(transferee);
                }
                else
                {
                    SendAppend(transferee);
                }
                break;
        }
    }

    private void StepLeaderProposal(Message m)
    {
        if (m.Entries.Count == 0)
        {
            throw new InvalidOperationException($"{Id} stepped empty MsgProp");
        }
        if (!Tracker.Progress.ContainsKey(Id))
        {
            // Removed from the configuration: we cannot commit anything any more.
            throw new ProposalDroppedException();
        }
        if (LeadTransferee != None)
        {
            throw new ProposalDroppedException($"{Id} [term {Term}] transfer leadership to {LeadTransferee} is in progress; dropping proposal");
        }
        var entries = m.Entries.ToList();
        for (var i = 0; i < entries.Count; i++)
        {
            if (entries[i].Type != EntryType.EntryConfChange)
            {
                continue;
            }
            if (_pendingConfIndex > Log.Applied)
            {
                // One membership change at a time: a second one is replaced by an empty entry
                // (the proposer learns by it never being applied as a conf change).
                _logger.Info($"{Id} ignoring conf change at config voters=({string.Join(" ", Tracker.Voters)}) learners=({string.Join(" ", Tracker.Learners)}): " +
                    $"possible unapplied conf change at index {_pendingConfIndex} (applied to {Log.Applied})");
                entries[i] = new Entry { Type = EntryType.EntryNormal };
            }
            else
            {
                _pendingConfIndex = Log.LastIndex() + (ulong)i + 1;
            }
        }
        AppendEntries(entries);
        BroadcastAppend();
    }

    private void SendReadIndexHeartbeats(Message m)
    {
        var context = m.Entries[0].Data;
        _readOnly.AddRequest(Log.Committed, m);
        _readOnly.ReceiveAck(Id, context);
        BroadcastHeartbeat(context);
    }

    private void ReleasePendingReadIndexMessages()
    {
        if (_pendingReadIndexMessages.Count == 0 || !CommittedEntryInCurrentTerm())
        {
            return;
        }
        var pending = _pendingReadIndexMessages.ToList();
        _pendingReadIndexMessages.Clear();
        foreach (var m in pending)
        {
            SendReadIndexHeartbeats(m);
        }
    }

    private void ReplyToReadIndex(Message request, ulong readIndex)
    {
        if (request.From == None || request.From == Id)
        {
            ReadStates.Add(new ReadState(readIndex, request.Entries[0].Data));
            return;
        }
        var resp = new Message { Type = MessageType.MsgReadIndexResp, To = request.From, Index = readIndex };
        resp.Entries.AddRange(request.Entries);
        Send(resp);
    }

    private void StepCandidate(Message m)
    {
        // A pre-candidate may still get late answers to its pre-votes after moving on to an
        // election (and the other way round): only count the kind it asked for.
        var myVoteResp = State == RaftRole.PreCandidate ? MessageType.MsgPreVoteResp : MessageType.MsgVoteResp;
        switch (m.Type)
        {
            case MessageType.MsgProp:
                throw new ProposalDroppedException($"{Id} no leader at term {Term}; dropping proposal");
            case MessageType.MsgApp:
                BecomeFollower(m.Term, m.From);
                HandleAppendEntries(m);
                break;
            case MessageType.MsgHeartbeat:
                BecomeFollower(m.Term, m.From);
                HandleHeartbeat(m);
                break;
            case MessageType.MsgSnap:
                BecomeFollower(m.Term, m.From);
                HandleSnapshot(m);
                break;
            case var t when t == myVoteResp:
                switch (Poll(m.From, m.Type, !m.Reject))
                {
                    case VoteResult.Won:
                        if (State == RaftRole.PreCandidate)
                        {
                            Campaign(CampaignType.Election);
                        }
                        else
                        {
                            BecomeLeader();
                            BroadcastAppend();
                        }
                        break;
                    case VoteResult.Lost:
                        // Stay in our term: a pre-vote loss must not bump it.
                        BecomeFollower(Term, None);
                        break;
                }
                break;
            case MessageType.MsgTimeoutNow:
                _logger.Debug($"{Id} [term {Term} state {State}] ignored MsgTimeoutNow from {m.From}");
                break;
        }
    }

    private void StepFollower(Message m)
    {
        switch (m.Type)
        {
            case MessageType.MsgProp:
                if (Lead == None)
                {
                    throw new ProposalDroppedException($"{Id} no leader at term {Term}; dropping proposal");
                }
                m.To = Lead;
                Send(m);
                break;
            case MessageType.MsgApp:
                ElectionElapsed = 0;
                Lead = m.From;
                HandleAppendEntries(m);
                break;
            case MessageType.MsgHeartbeat:
                ElectionElapsed = 0;
                Lead = m.From;
                HandleHeartbeat(m);
                break;
            case MessageType.MsgSnap:
                ElectionElapsed = 0;
                Lead = m.From;
                HandleSnapshot(m);
                break;
            case MessageType.MsgTransferLeader:
                if (Lead == None)
                {
                    _logger.Info($"{Id} no leader at term {Term}; dropping leader transfer msg");
                    return;
                }
                m.To = Lead;
                Send(m);
                break;
            case MessageType.MsgTimeoutNow:
                // The leader chose us: campaign at once, past pre-vote and the voters' leases.
                _logger.Info($"{Id} [term {Term}] received MsgTimeoutNow from {m.From} and starts an election to get leadership.");
                Hup(CampaignType.Transfer);
                break;
            case MessageType.MsgReadIndex:
                if (Lead == None)
                {
                    throw new ProposalDroppedException($"{Id} no leader at term {Term}; dropping index reading msg");
                }
                m.To = Lead;
                Send(m);
                break;
            case MessageType.MsgReadIndexResp:
                if (m.Entries.Count != 1)
                {
                    _logger.Warning($"{Id} invalid format of MsgReadIndexResp from {m.From}, entries count: {m.Entries.Count}");
                    return;
                }
                ReadStates.Add(new ReadState(m.Index, m.Entries[0].Data));
                break;
        }
    }

    private void HandleAppendEntries(Message m)
    {
        if (m.Index < Log.Committed)
        {
            // Already committed here: tell the leader how far we are.
            Send(new Message { To = m.From, Type = MessageType.MsgAppResp, Index = Log.Committed });
            return;
        }
        var lastNew = Log.MaybeAppend(m.Index, m.LogTerm, m.Commit, m.Entries);
        if (lastNew is { } last)
        {
            Send(new Message { To = m.From, Type = MessageType.MsgAppResp, Index = last });
            return;
        }
        // Reject with a hint: the last index at which our term is ≤ the leader's term there,
        // so the leader can skip whole terms of our conflicting entries.
        var hintIndex = Math.Min(m.Index, Log.LastIndex());
        var (index, term) = Log.FindConflictByTerm(hintIndex, m.LogTerm);
        _logger.Debug($"{Id} [logterm: {Log.ZeroTermOnCompacted(m.Index)}, index: {m.Index}] rejected MsgApp [logterm: {m.LogTerm}, index: {m.Index}] from {m.From}");
        Send(new Message
        {
            To = m.From,
            Type = MessageType.MsgAppResp,
            Index = m.Index,
            Reject = true,
            RejectHint = index,
            LogTerm = term,
        });
    }

    private void HandleHeartbeat(Message m)
    {
        Log.CommitTo(m.Commit);
        var resp = new Message { To = m.From, Type = MessageType.MsgHeartbeatResp, Context = m.Context };
        Send(resp);
    }

    private void HandleSnapshot(Message m)
    {
        var s = m.Snapshot;
        if (Restore(s))
        {
            _logger.Info($"{Id} [commit: {Log.Committed}] restored snapshot [index: {s.Metadata.Index}, term: {s.Metadata.Term}]");
            Send(new Message { To = m.From, Type = MessageType.MsgAppResp, Index = Log.LastIndex() });
        }
        else
        {
            _logger.Info($"{Id} [commit: {Log.Committed}] ignored snapshot [index: {s.Metadata.Index}, term: {s.Metadata.Term}]");
            Send(new Message { To = m.From, Type = MessageType.MsgAppResp, Index = Log.Committed });
        }
    }

    /// <summary>Replaces log and configuration with a snapshot's; false when it brings nothing new.</summary>
    private bool Restore(Snapshot s)
    {
        if (s.Metadata.Index <= Log.Committed)
        {
            return false;
        }
        if (State != RaftRole.Follower)
        {
            // Only a follower gets snapshots; be defensive, as etcd is.
            _logger.Warning($"{Id} attempted to restore snapshot as leader; should never happen");
            BecomeFollower(Term + 1, None);
            return false;
        }
        var cs = s.Metadata.ConfState ?? new ConfState();
        if (!cs.Voters.Contains(Id) && !cs.Learners.Contains(Id))
        {
            _logger.Warning($"{Id} attempted to restore snapshot but it is not in the configuration voters=({string.Join(" ", cs.Voters)}) learners=({string.Join(" ", cs.Learners)}); should never happen");
            return false;
        }
        if (Log.MatchTerm(s.Metadata.Index, s.Metadata.Term))
        {
            // We already have the snapshot's entries: just commit up to it.
            Log.CommitTo(s.Metadata.Index);
            return false;
        }
        Log.Restore(s);
        Tracker.Restore(cs, Log.LastIndex());
        SwitchToConfig();
        var self = Tracker.Progress[Id];
        self.MaybeUpdate(self.Next - 1);
        return true;
    }
}
