namespace MiniKube.Raft;

/// <summary>
/// Majority quorum arithmetic over a set of voters (etcd raft's <c>quorum/majority.go</c>).
/// Learners never appear here.
/// </summary>
internal static class MajorityConfig
{
    /// <summary>
    /// The highest index acknowledged by a majority of voters: sort the voters' match indexes and
    /// take the one a quorum has reached.
    /// </summary>
    public static ulong CommittedIndex(IReadOnlyCollection<ulong> voters, Func<ulong, ulong?> acked)
    {
        if (voters.Count == 0)
        {
            // No voters: nothing can be committed by this configuration.
            return 0;
        }
        var matched = voters.Select(id => acked(id) ?? 0).ToArray();
        Array.Sort(matched);
        return matched[voters.Count - (voters.Count / 2 + 1)];
    }

    public static VoteResult Vote(IReadOnlyCollection<ulong> voters, IReadOnlyDictionary<ulong, bool> votes)
    {
        if (voters.Count == 0)
        {
            return VoteResult.Won;
        }
        int granted = 0, missing = 0;
        foreach (var id in voters)
        {
            if (!votes.TryGetValue(id, out var v))
            {
                missing++;
            }
            else if (v)
            {
                granted++;
            }
        }
        var q = voters.Count / 2 + 1;
        if (granted >= q)
        {
            return VoteResult.Won;
        }
        return granted + missing >= q ? VoteResult.Pending : VoteResult.Lost;
    }
}
