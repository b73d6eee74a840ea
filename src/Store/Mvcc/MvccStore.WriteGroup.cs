using MiniKube.Store.Backend;

namespace MiniKube.Store.Mvcc;

public sealed partial class MvccStore
{
    private WriteGroup? _group;

    /// <summary>Whether write transactions now join a group (see <see cref="BeginGroup"/>).</summary>
    public bool InGroup => _group is not null;

    internal WriteGroup? Group => _group;

    /// <summary>
    /// Starts a group of write transactions that reach the backend as one batch on
    /// <see cref="CommitGroup"/> (etcd's batched backend commit): the applier writes every entry of
    /// a Ready once instead of once per entry. Transactions begun meanwhile share the batch, each
    /// behind a save point so that one that fails leaves nothing in it, and see the group's earlier
    /// changes when they read the latest state. They do not see them in reads of history at an
    /// explicit revision: apply a write that reads history outside a group. Writer thread only.
    /// </summary>
    public void BeginGroup()
    {
        if (_group is not null)
        {
            throw new InvalidOperationException("a write group is already open");
        }

        _group = new WriteGroup(_backend.CreateBatch(), _writeRevision);
    }

    /// <summary>
    /// Writes the open group's changes, with the revision and the applied index they reach, in one
    /// atomic, unsynced backend write, and closes the group; the caller then publishes. Writer thread only.
    /// </summary>
    public void CommitGroup()
    {
        var group = _group ?? throw new InvalidOperationException("no write group is open");
        _group = null;
        using var batch = group.Batch;
        if (_writeRevision != group.BaseRevision)
        {
            MetaKeys.WriteLong(batch, MetaKeys.Revision, _writeRevision);
        }

        if (batch.Count > 0)
        {
            // Atomic with the effects: a crash replays from the entry after this one, never again nor past it.
            MetaKeys.WriteLong(batch, MetaKeys.AppliedIndex, AppliedIndex);
            WriteTimed(batch);
        }
    }

    /// <summary>Writes <paramref name="batch"/> to the backend, unsynced, telling <see cref="BackendCommitObserver"/> how long it took.</summary>
    internal void WriteTimed(IBackendBatch batch)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        _backend.Write(batch);
        BackendCommitObserver?.Invoke(System.Diagnostics.Stopwatch.GetElapsedTime(started));
    }

    /// <summary>
    /// The writes of a group not yet in the backend: the shared batch, and the latest version (null:
    /// deleted) of every key the group's committed transactions changed.
    /// </summary>
    internal sealed class WriteGroup(IBackendBatch batch, long baseRevision)
    {
        public IBackendBatch Batch { get; } = batch;

        /// <summary>The store's revision when the group began: history above it is not in the backend yet.</summary>
        public long BaseRevision { get; } = baseRevision;

        public SortedDictionary<byte[], Mvccpb.KeyValue?> Latest { get; } = new(ByteArrayComparer.Instance);
    }
}
