namespace MiniKube.Cli.Bench;

/// <summary>What each operation of a store benchmark does (etcd benchmark's subcommands of the same names).</summary>
public enum StoreOp
{
    /// <summary>Put of a key from the key space.</summary>
    Put,

    /// <summary>Range of a single key from the key space, linearizable or serializable.</summary>
    Range,

    /// <summary>A Txn with no compares and one put in its success branch.</summary>
    TxnPut,

    /// <summary>Watchers on the key space's range and one writer; latency is write-to-delivery.</summary>
    Watch,
}
