namespace MiniKube.Store.Server;

/// <summary>
/// How many KV operations a member has executed since it started, counted as etcd's mvcc
/// metrics count them: each range, put and delete, nested ones inside a txn included, and each
/// txn request once (a nested txn is part of its parent's MVCC transaction). Counted with
/// atomics: writes come from the writer, reads from any thread.
/// </summary>
public sealed class KvOperationCounts
{
    private long _ranges;
    private long _puts;
    private long _deletes;
    private long _txns;

    public long Ranges => Interlocked.Read(ref _ranges);

    public long Puts => Interlocked.Read(ref _puts);

    public long Deletes => Interlocked.Read(ref _deletes);

    public long Txns => Interlocked.Read(ref _txns);

    internal void CountRange() => Interlocked.Increment(ref _ranges);

    internal void CountPut() => Interlocked.Increment(ref _puts);

    internal void CountDelete() => Interlocked.Increment(ref _deletes);

    internal void CountTxn() => Interlocked.Increment(ref _txns);
}
