using Etcdserverpb;

namespace MiniKube.Etcd.Client;

/// <summary>
/// A transaction being built, as clientv3's Txn: <c>If</c> comparisons, <c>Then</c> the operations
/// run when all hold, <c>Else</c> those run otherwise; each part at most once, in that order.
/// <code>
/// var response = await client.Txn()
///     .If(Cmp.ModRevision(key).Equal(rv))
///     .Then(Op.Put(key, value))
///     .Else(Op.Get(key))
///     .CommitAsync(ct);
/// </code>
/// </summary>
public sealed class Txn
{
    private readonly EtcdClient _client;
    private readonly TimeSpan? _timeout;
    private readonly TxnRequest _request = new();
    private int _stage; // 0: nothing yet, 1: after If, 2: after Then, 3: after Else

    internal Txn(EtcdClient client, TimeSpan? timeout)
    {
        _client = client;
        _timeout = timeout;
    }

    public Txn If(params Compare[] comparisons)
    {
        Advance(1, "If");
        _request.Compare.AddRange(comparisons);
        return this;
    }

    public Txn Then(params RequestOp[] operations)
    {
        Advance(2, "Then");
        _request.Success.AddRange(operations);
        return this;
    }

    public Txn Else(params RequestOp[] operations)
    {
        Advance(3, "Else");
        _request.Failure.AddRange(operations);
        return this;
    }

    /// <summary>The request as built so far, e.g. to nest it with <see cref="Op.Txn"/>.</summary>
    public TxnRequest ToRequest() => _request.Clone();

    public Task<TxnResponse> CommitAsync(CancellationToken cancellationToken = default)
        => _client.TxnAsync(_request, _timeout, cancellationToken);

    private void Advance(int stage, string name)
    {
        if (_stage >= stage)
        {
            throw new InvalidOperationException($"{name} cannot follow {(_stage switch { 1 => "If", 2 => "Then", _ => "Else" })}: a transaction is If, Then, Else, each at most once.");
        }

        _stage = stage;
    }
}
