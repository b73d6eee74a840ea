namespace MiniKube.Raft;

/// <summary>What a <see cref="RawNode"/> is started with (etcd raft's <c>Config</c>).</summary>
public sealed class RaftConfig
{
    /// <summary>This node's id; never 0 (0 means "none" on the wire).</summary>
    public required ulong Id { get; init; }

    /// <summary>
    /// Ticks without hearing from a leader before a follower campaigns; the actual timeout is
    /// randomized in [ElectionTick, 2*ElectionTick) so that candidates rarely collide.
    /// </summary>
    public int ElectionTick { get; init; } = 10;

    /// <summary>Ticks between a leader's heartbeats.</summary>
    public int HeartbeatTick { get; init; } = 1;

    public required IRaftStorage Storage { get; init; }

    /// <summary>
    /// The last index the host has applied (only when restarting): committed entries up to it are
    /// not handed out again.
    /// </summary>
    public ulong Applied { get; init; }

    /// <summary>Byte budget of the entries in one MsgApp (at least one entry is always sent).</summary>
    public ulong MaxSizePerMsg { get; init; } = 1024 * 1024;

    /// <summary>Byte budget of the committed entries in one Ready; defaults to MaxSizePerMsg.</summary>
    public ulong MaxCommittedSizePerReady { get; init; }

    /// <summary>MsgApp messages in flight per follower while replicating (the pipelining window).</summary>
    public int MaxInflightMsgs { get; init; } = 256;

    /// <summary>A leader steps down when it has not heard from a quorum for an election timeout.</summary>
    public bool CheckQuorum { get; init; }

    /// <summary>
    /// Campaign with a pre-vote round first, so a node that was partitioned away does not bump the
    /// term and depose a healthy leader when it comes back.
    /// </summary>
    public bool PreVote { get; init; }

    /// <summary>Seed of the election-timeout randomness when <see cref="Random"/> is not given.</summary>
    public int RandomSeed { get; init; }

    /// <summary>The randomness for election timeouts; a seeded one keeps tests reproducible.</summary>
    public Random? Random { get; init; }

    public IRaftLogger Logger { get; init; } = NullRaftLogger.Instance;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        if (Id == 0)
        {
            throw new ArgumentException("cannot use 0 (none) as the raft id", nameof(Id));
        }
        if (HeartbeatTick <= 0)
        {
            throw new ArgumentException($"heartbeat tick must be greater than 0, got {HeartbeatTick}", nameof(HeartbeatTick));
        }
        if (ElectionTick <= HeartbeatTick)
        {
            throw new ArgumentException(
                $"election tick ({ElectionTick}) must be greater than heartbeat tick ({HeartbeatTick})", nameof(ElectionTick));
        }
        if (Storage is null)
        {
            throw new ArgumentException("storage cannot be null", nameof(Storage));
        }
        if (MaxInflightMsgs <= 0)
        {
            throw new ArgumentException($"max inflight messages must be greater than 0, got {MaxInflightMsgs}", nameof(MaxInflightMsgs));
        }
        if (MaxSizePerMsg == 0)
        {
            throw new ArgumentException("max size per message must be greater than 0", nameof(MaxSizePerMsg));
        }
        if (Logger is null)
        {
            throw new ArgumentException("logger cannot be null (use NullRaftLogger.Instance)", nameof(Logger));
        }
    }
}
