using Etcdserverpb;
using Google.Protobuf;

namespace MiniKube.Etcd.Client;

/// <summary>The KV API: reads, writes, transactions and compaction.</summary>
public sealed partial class EtcdClient
{
    /// <summary>Reads a key, or a range of keys as the options say. Retried on another endpoint when one is unreachable.</summary>
    public Task<RangeResponse> GetAsync(ByteString key, GetOptions? options = null, CancellationToken cancellationToken = default)
        => _invoker.CallAsync(EtcdMethods.Range, Requests.Range(key, options), idempotent: true, options?.Timeout, cancellationToken);

    public Task<RangeResponse> GetAsync(string key, GetOptions? options = null, CancellationToken cancellationToken = default)
        => GetAsync(ByteString.CopyFromUtf8(key), options, cancellationToken);

    /// <summary>Writes a key. Sent again elsewhere only if it provably never reached a server.</summary>
    public Task<PutResponse> PutAsync(ByteString key, ByteString value, PutOptions? options = null, CancellationToken cancellationToken = default)
        => _invoker.CallAsync(EtcdMethods.Put, Requests.Put(key, value, options), idempotent: false, options?.Timeout, cancellationToken);

    public Task<PutResponse> PutAsync(string key, string value, PutOptions? options = null, CancellationToken cancellationToken = default)
        => PutAsync(ByteString.CopyFromUtf8(key), ByteString.CopyFromUtf8(value), options, cancellationToken);

    /// <summary>Deletes a key, or a range of keys as the options say.</summary>
    public Task<DeleteRangeResponse> DeleteAsync(ByteString key, DeleteOptions? options = null, CancellationToken cancellationToken = default)
        => _invoker.CallAsync(EtcdMethods.DeleteRange, Requests.Delete(key, options), idempotent: false, options?.Timeout, cancellationToken);

    public Task<DeleteRangeResponse> DeleteAsync(string key, DeleteOptions? options = null, CancellationToken cancellationToken = default)
        => DeleteAsync(ByteString.CopyFromUtf8(key), options, cancellationToken);

    /// <summary>Starts building a transaction; <paramref name="timeout"/> overrides the default deadline.</summary>
    public Txn Txn(TimeSpan? timeout = null) => new(this, timeout);

    /// <summary>Runs a transaction. One of reads only is retried like a read; any other like a write.</summary>
    public Task<TxnResponse> TxnAsync(TxnRequest request, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return _invoker.CallAsync(EtcdMethods.Txn, request, idempotent: Requests.IsReadOnly(request), timeout, cancellationToken);
    }

    /// <summary>
    /// Discards the history before <paramref name="revision"/>; with <paramref name="physical"/>
    /// the call returns only once the space is reclaimed.
    /// </summary>
    public Task<CompactionResponse> CompactAsync(long revision, bool physical = false, CancellationToken cancellationToken = default)
        => _invoker.CallAsync(EtcdMethods.Compact, new CompactionRequest { Revision = revision, Physical = physical }, idempotent: false, timeout: null, cancellationToken);
}
