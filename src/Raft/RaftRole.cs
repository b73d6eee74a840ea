namespace MiniKube.Raft;

/// <summary>The role a node plays (etcd raft's <c>StateType</c>, same order).</summary>
public enum RaftRole
{
    Follower,
    Candidate,
    Leader,
    PreCandidate,
}
