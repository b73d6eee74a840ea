namespace MiniKube.Store.Backend;

/// <summary>
/// The tables the store keeps in its backend (RocksDB column families). The names are part of
/// the on-disk format: renaming one orphans its data.
/// </summary>
public enum BackendTable
{
    /// <summary>Every version of every key: see <see cref="Mvcc.KeyEncoding"/>.</summary>
    Keys,

    /// <summary>The event history, ordered by revision: see <see cref="Mvcc.KeyEncoding"/>.</summary>
    History,

    /// <summary>Leases by ID.</summary>
    Leases,

    /// <summary>Small named values: the current revision, compaction marks, cluster identity.</summary>
    Meta,

    /// <summary>The Raft log, hard state and snapshot metadata: see <see cref="Consensus.RaftLogStorage"/>.</summary>
    Raft,
}

public static class BackendTables
{
    public static readonly BackendTable[] All = Enum.GetValues<BackendTable>();

    public static string ColumnFamilyName(this BackendTable table) => table switch
    {
        BackendTable.Keys => "keys",
        BackendTable.History => "history",
        BackendTable.Leases => "leases",
        BackendTable.Meta => "meta",
        BackendTable.Raft => "raft",
        _ => throw new ArgumentOutOfRangeException(nameof(table)),
    };
}
