using MiniKube.Raft.Pb;

namespace MiniKube.Raft;

/// <summary>
/// The configuration (voters and learners) and the leader's progress for each member, plus the
/// votes of the current election (etcd raft's <c>tracker/tracker.go</c>, without joint
/// consensus: membership changes one node at a time). Iteration is in id order so that runs
/// are deterministic.
/// </summary>
internal sealed class ProgressTracker(int maxInflight)
{
    private readonly Dictionary<ulong, bool> _votes = [];

    public SortedSet<ulong> Voters { get; } = [];

    public SortedSet<ulong> Learners { get; } = [];

    public SortedDictionary<ulong, Progress> Progress { get; } = [];

    public int MaxInflight { get; } = maxInflight;

    public ConfState ConfState()
    {
        var cs = new ConfState();
        cs.Voters.AddRange(Voters);
        cs.Learners.AddRange(Learners);
        return cs;
    }

    public bool IsSingleton() => Voters.Count == 1 && Learners.Count == 0;

    /// <summary>The highest index a majority of voters has stored.</summary>
    public ulong Committed() =>
        MajorityConfig.CommittedIndex(Voters, id => Progress.TryGetValue(id, out var pr) ? pr.Match : null);

    /// <summary>Has a quorum of voters been heard from since the last check (the leader counts itself)?</summary>
    public bool QuorumActive()
    {
        var votes = new Dictionary<ulong, bool>();
        foreach (var (id, pr) in Progress)
        {
            if (!pr.IsLearner)
            {
                votes[id] = pr.RecentActive;
            }
        }
        return MajorityConfig.Vote(Voters, votes) == VoteResult.Won;
    }

    public void ResetVotes() => _votes.Clear();

    /// <summary>Records a vote; only the first answer of each node counts.</summary>
    public void RecordVote(ulong id, bool granted) => _votes.TryAdd(id, granted);

    public (int Granted, int Rejected, VoteResult Result) TallyVotes()
    {
        int granted = 0, rejected = 0;
        foreach (var (id, pr) in Progress)
        {
            if (pr.IsLearner || !_votes.TryGetValue(id, out var v))
            {
                continue;
            }
            if (v)
            {
                granted++;
            }
            else
            {
                rejected++;
            }
        }
        return (granted, rejected, MajorityConfig.Vote(Voters, _votes));
    }

    public VoteResult QuorumResult(IReadOnlyDictionary<ulong, bool> votes) => MajorityConfig.Vote(Voters, votes);

    /// <summary>
    /// Applies one membership change (etcd's "simple" changer). Adding an existing learner as a
    /// node promotes it; adding a voter as a learner demotes it. Removing the last voter is refused.
    /// </summary>
    public void Apply(ConfChange cc, ulong lastIndex)
    {
        var id = cc.NodeId;
        if (id == 0)
        {
            // etcd treats a change to node 0 as a no-op (used to carry a context through the log).
            return;
        }
        switch (cc.Type)
        {
            case ConfChangeType.ConfChangeAddNode:
                if (Progress.TryGetValue(id, out var pr))
                {
                    pr.IsLearner = false;
                    Learners.Remove(id);
                }
                else
                {
                    Progress[id] = NewProgress(lastIndex, isLearner: false);
                }
                Voters.Add(id);
                break;
            case ConfChangeType.ConfChangeAddLearnerNode:
                if (Progress.TryGetValue(id, out var lpr))
                {
                    if (Voters.Count == 1 && Voters.Contains(id))
                    {
                        throw new InvalidOperationException("removed all voters");
                    }
                    lpr.IsLearner = true;
                    Voters.Remove(id);
                }
                else
                {
                    Progress[id] = NewProgress(lastIndex, isLearner: true);
                }
                Learners.Add(id);
                break;
            case ConfChangeType.ConfChangeRemoveNode:
                if (Voters.Count == 1 && Voters.Contains(id))
                {
                    throw new InvalidOperationException("removed all voters");
                }
                Voters.Remove(id);
                Learners.Remove(id);
                Progress.Remove(id);
                break;
            case ConfChangeType.ConfChangeUpdateNode:
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(cc), cc.Type, "unknown conf change type");
        }
    }

    /// <summary>Replaces the configuration with a snapshot's or the storage's (a restart).</summary>
    public void Restore(ConfState cs, ulong lastIndex)
    {
        if (cs.VotersOutgoing.Count > 0 || cs.LearnersNext.Count > 0)
        {
            throw new NotSupportedException("joint configurations are not supported");
        }
        Voters.Clear();
        Learners.Clear();
        Progress.Clear();
        _votes.Clear();
        foreach (var id in cs.Voters)
        {
            Apply(new ConfChange { Type = ConfChangeType.ConfChangeAddNode, NodeId = id }, lastIndex);
        }
        foreach (var id in cs.Learners)
        {
            Apply(new ConfChange { Type = ConfChangeType.ConfChangeAddLearnerNode, NodeId = id }, lastIndex);
        }
    }

    // A new member is probed from the leader's last index; RecentActive so that a check-quorum
    // right after the change does not count it as silent.
    private Progress NewProgress(ulong lastIndex, bool isLearner) =>
        new(Math.Max(lastIndex, 1), MaxInflight, isLearner) { RecentActive = true };
}
