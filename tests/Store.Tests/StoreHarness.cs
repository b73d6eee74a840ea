using System.Text;
using Etcdserverpb;
using Google.Protobuf;
using Microsoft.Extensions.Logging.Abstractions;
using MiniKube.Store.Backend;
using MiniKube.Store.Internal;
using MiniKube.Store.Server;

namespace MiniKube.Store.Tests;

/// <summary>A store server over an in-memory backend, with shorthand for requests.</summary>
public sealed class StoreHarness : IAsyncDisposable
{
    public StoreHarness(InMemoryBackend? backend = null, TimeProvider? time = null, StoreOptions? options = null)
    {
        Backend = backend ?? new InMemoryBackend();
        Time = time ?? TimeProvider.System;
        Server = new StoreServer(Backend, options ?? new StoreOptions(), Time, NullLoggerFactory.Instance);
    }

    public InMemoryBackend Backend { get; }

    public TimeProvider Time { get; }

    public StoreServer Server { get; }

    public static ByteString B(string s) => ByteString.CopyFromUtf8(s);

    public static string S(ByteString b) => b.ToStringUtf8();

    public Task<PutResponse> PutAsync(string key, string value, long lease = 0, bool prevKv = false) =>
        Server.WriteAsync<PutResponse>(new InternalRequest { Put = new PutRequest { Key = B(key), Value = B(value), Lease = lease, PrevKv = prevKv } }, default);

    public Task<DeleteRangeResponse> DeleteAsync(string key, string? rangeEnd = null, bool prevKv = false) =>
        Server.WriteAsync<DeleteRangeResponse>(new InternalRequest { DeleteRange = new DeleteRangeRequest { Key = B(key), RangeEnd = rangeEnd is null ? ByteString.Empty : B(rangeEnd), PrevKv = prevKv } }, default);

    public Task<TxnResponse> TxnAsync(TxnRequest txn) => Server.WriteAsync<TxnResponse>(new InternalRequest { Txn = txn }, default);

    public Task<CompactionResponse> CompactAsync(long revision, bool physical = true) =>
        Server.WriteAsync<CompactionResponse>(new InternalRequest { Compaction = new CompactionRequest { Revision = revision, Physical = physical } }, default);

    public RangeResponse Get(string key, string? rangeEnd = null, long revision = 0, long limit = 0) =>
        Server.Applier.Range(new RangeRequest { Key = B(key), RangeEnd = rangeEnd is null ? ByteString.Empty : B(rangeEnd), Revision = revision, Limit = limit });

    public static string Prefix(string prefix)
    {
        var bytes = Encoding.UTF8.GetBytes(prefix);
        bytes[^1]++;
        return Encoding.UTF8.GetString(bytes);
    }

    public ValueTask DisposeAsync() => Server.DisposeAsync();
}
