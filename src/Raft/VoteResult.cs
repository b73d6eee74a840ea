namespace MiniKube.Raft;

/// <summary>The outcome of counting votes (or acks) against a quorum.</summary>
public enum VoteResult
{
    Pending,
    Lost,
    Won,
}
