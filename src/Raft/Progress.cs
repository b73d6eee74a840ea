namespace MiniKube.Raft;

/// <summary>
/// A leader's view of one follower (etcd raft's <c>tracker/progress.go</c>). Invariant:
/// Match &lt; Next.
/// </summary>
public sealed class Progress
{
    internal Progress(ulong next, int maxInflight, bool isLearner)
    {
        Next = next;
        Inflights = new Inflights(maxInflight);
        IsLearner = isLearner;
    }

    /// <summary>The highest index known to be replicated on the follower.</summary>
    public ulong Match { get; internal set; }

    /// <summary>The index of the next entry to send.</summary>
    public ulong Next { get; internal set; }

    public ProgressState State { get; private set; } = ProgressState.Probe;

    /// <summary>The snapshot index in flight while in <see cref="ProgressState.Snapshot"/>.</summary>
    public ulong PendingSnapshot { get; internal set; }

    /// <summary>Heard from since the last check-quorum round (always true for the leader itself).</summary>
    public bool RecentActive { get; internal set; }

    /// <summary>In Probe: a message was sent and no answer came since, so wait for a heartbeat.</summary>
    public bool ProbeSent { get; internal set; }

    public bool IsLearner { get; internal set; }

    internal Inflights Inflights { get; }

    public int InflightCount => Inflights.Count;

    internal void ResetState(ProgressState state)
    {
        ProbeSent = false;
        PendingSnapshot = 0;
        State = state;
        Inflights.Reset();
    }

    internal void BecomeProbe()
    {
        // After a snapshot the follower has at least the snapshot's entries, so probe from there.
        if (State == ProgressState.Snapshot)
        {
            var pendingSnapshot = PendingSnapshot;
            ResetState(ProgressState.Probe);
            Next = Math.Max(Match + 1, pendingSnapshot + 1);
        }
        else
        {
            ResetState(ProgressState.Probe);
            Next = Match + 1;
        }
    }

    internal void BecomeReplicate()
    {
        ResetState(ProgressState.Replicate);
        Next = Match + 1;
    }

    internal void BecomeSnapshot(ulong snapshotIndex)
    {
        ResetState(ProgressState.Snapshot);
        PendingSnapshot = snapshotIndex;
    }

    /// <summary>An append up to <paramref name="n"/> was acknowledged; false if it was stale.</summary>
    internal bool MaybeUpdate(ulong n)
    {
        var updated = false;
        if (Match < n)
        {
            Match = n;
            updated = true;
            ProbeSent = false;
        }
        Next = Math.Max(Next, n + 1);
        return updated;
    }

    internal void OptimisticUpdate(ulong n) => Next = n + 1;

    /// <summary>
    /// An append at <paramref name="rejected"/> was refused; moves Next back (to just after
    /// <paramref name="matchHint"/> if that is lower). False if the rejection is stale.
    /// </summary>
    internal bool MaybeDecrTo(ulong rejected, ulong matchHint)
    {
        if (State == ProgressState.Replicate)
        {
            if (rejected <= Match)
            {
                return false;
            }
            Next = Match + 1;
            return true;
        }
        // In probe only the answer to the last probe counts.
        if (Next - 1 != rejected)
        {
            return false;
        }
        Next = Math.Max(Math.Min(rejected, matchHint + 1), 1);
        ProbeSent = false;
        return true;
    }

    internal bool IsPaused() => State switch
    {
        ProgressState.Probe => ProbeSent,
        ProgressState.Replicate => Inflights.Full,
        _ => true,
    };

    internal Progress Copy() => new(Next, 1, IsLearner)
    {
        Match = Match,
        State = State,
        PendingSnapshot = PendingSnapshot,
        RecentActive = RecentActive,
        ProbeSent = ProbeSent,
    };

    public override string ToString()
    {
        var s = $"{State} match={Match} next={Next}";
        if (IsLearner)
        {
            s += " learner";
        }
        if (ProbeSent)
        {
            s += " paused";
        }
        if (PendingSnapshot > 0)
        {
            s += $" pendingSnap={PendingSnapshot}";
        }
        if (!RecentActive)
        {
            s += " inactive";
        }
        if (Inflights.Count > 0)
        {
            s += $" inflight={Inflights.Count}";
            if (Inflights.Full)
            {
                s += "[full]";
            }
        }
        return s;
    }
}
