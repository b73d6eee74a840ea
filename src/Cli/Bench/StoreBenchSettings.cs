namespace MiniKube.Cli.Bench;

/// <summary>
/// One run of <c>mkctl bench store</c>, with the meaning of etcd's <c>benchmark</c> flags:
/// <see cref="Conns"/> gRPC connections round-robin over <see cref="Endpoints"/>, <see cref="Clients"/>
/// concurrent clients round-robin over the connections, <see cref="Total"/> operations among them.
/// </summary>
public sealed record StoreBenchSettings
{
    public required IReadOnlyList<Uri> Endpoints { get; init; }

    public StoreOp Op { get; init; } = StoreOp.Put;

    /// <summary>Concurrent clients; for <see cref="StoreOp.Watch"/>, the number of watchers.</summary>
    public int Clients { get; init; } = 1;

    public int Conns { get; init; } = 1;

    /// <summary>Operations measured; for <see cref="StoreOp.Watch"/>, the writes (each delivered to every watcher).</summary>
    public int Total { get; init; } = 10_000;

    public int KeySize { get; init; } = 8;

    public int ValSize { get; init; } = 256;

    /// <summary>How many distinct keys the operations pick from (etcd's default is 1: every put to one key).</summary>
    public long KeySpaceSize { get; init; } = 100_000;

    /// <summary>Keys in order (operation i uses key i mod key space) rather than at random.</summary>
    public bool SequentialKeys { get; init; }

    /// <summary>Range reads served from the member's local state ("s") instead of linearizable ("l").</summary>
    public bool Serializable { get; init; }

    /// <summary>Operations per second across all clients; 0 for as fast as they complete.</summary>
    public double Rate { get; init; }

    /// <summary>Put every key of the key space once before measuring, so that ranges find values.</summary>
    public bool Prefill { get; init; }

    /// <summary>Operations run before measuring (same workload, not recorded), to warm both ends up.</summary>
    public int Warmup { get; init; }

    /// <summary>The largest key space <see cref="Prefill"/> writes.</summary>
    public const long MaxPrefill = 10_000_000;

    /// <summary>Seeds the key choice of each client, so that runs are repeatable.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Checks the settings; returns a message for the first one that is out of range, or null.</summary>
    public string? Validate()
    {
        if (Endpoints.Count == 0)
        {
            return "--endpoints: at least one endpoint is needed";
        }

        if (Clients < 1 || Conns < 1 || Total < 1)
        {
            return "--clients, --conns and --total must be at least 1";
        }

        if (KeySize < 1 || ValSize < 0)
        {
            return "--key-size must be at least 1 and --val-size at least 0";
        }

        if (KeySpaceSize < 1 || KeySpaceSize > BenchKeys.MaxKeySpace(KeySize))
        {
            return $"--key-space-size must be between 1 and {BenchKeys.MaxKeySpace(KeySize)} for keys of {KeySize} bytes";
        }

        if (Prefill && KeySpaceSize > MaxPrefill)
        {
            return $"--prefill writes every key of the key space: --key-space-size must be at most {MaxPrefill} with it";
        }

        return Rate < 0 || Warmup < 0 ? "--rate and --warmup must not be negative" : null;
    }
}
