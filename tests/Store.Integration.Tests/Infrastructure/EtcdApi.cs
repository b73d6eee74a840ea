using Etcdserverpb;
using Google.Protobuf;
using MiniKube.Etcd.Client;
using MiniKube.Grpc;
using static MiniKube.Store.Integration.Tests.Infrastructure.Bytes;

namespace MiniKube.Store.Integration.Tests.Infrastructure;

/// <summary>
/// Shorthand for etcd's v3 RPCs over a <see cref="GrpcChannel"/> and etcd's generated messages,
/// deliberately independent of the project's client library: these tests check the server, and
/// a client in between could hide what it answers.
/// </summary>
public readonly struct EtcdApi(GrpcChannel channel)
{
    public static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(15);

    public GrpcChannel Channel => channel;

    public Task<TResponse> CallAsync<TRequest, TResponse>(Method<TRequest, TResponse> method, TRequest request)
        where TRequest : IMessage<TRequest>
        where TResponse : IMessage<TResponse> =>
        channel.UnaryAsync(method, request, new CallOptions(Deadline: DateTime.UtcNow + CallTimeout));

    public async Task WaitUntilServingAsync()
    {
        var giveUp = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            try
            {
                await channel.UnaryAsync(EtcdMethods.Range, new RangeRequest { Key = B("ready") }, new CallOptions(Deadline: DateTime.UtcNow.AddSeconds(2)));
                return;
            }
            catch (RpcException) when (DateTime.UtcNow < giveUp)
            {
                await Task.Delay(50);
            }
        }
    }

    public Task<PutResponse> PutAsync(PutRequest request) => CallAsync(EtcdMethods.Put, request);

    public Task<PutResponse> PutAsync(string key, string value, long lease = 0, bool prevKv = false) =>
        PutAsync(new PutRequest { Key = B(key), Value = B(value), Lease = lease, PrevKv = prevKv });

    public Task<RangeResponse> RangeAsync(RangeRequest request) => CallAsync(EtcdMethods.Range, request);

    public Task<RangeResponse> GetAsync(string key, long revision = 0) => RangeAsync(new RangeRequest { Key = B(key), Revision = revision });

    public Task<RangeResponse> GetPrefixAsync(string prefix, long revision = 0) =>
        RangeAsync(new RangeRequest { Key = B(prefix), RangeEnd = PrefixEnd(prefix), Revision = revision });

    public Task<DeleteRangeResponse> DeleteAsync(DeleteRangeRequest request) => CallAsync(EtcdMethods.DeleteRange, request);

    public Task<DeleteRangeResponse> DeleteAsync(string key, bool prevKv = false) =>
        DeleteAsync(new DeleteRangeRequest { Key = B(key), PrevKv = prevKv });

    public Task<TxnResponse> TxnAsync(TxnRequest request) => CallAsync(EtcdMethods.Txn, request);

    public Task<CompactionResponse> CompactAsync(long revision, bool physical = false) =>
        CallAsync(EtcdMethods.Compact, new CompactionRequest { Revision = revision, Physical = physical });

    /// <summary>The server's current revision (a range's header carries it).</summary>
    public async Task<long> RevisionAsync() => (await GetAsync("\0")).Header.Revision;

    public Task<LeaseGrantResponse> GrantAsync(long ttl, long id = 0) => CallAsync(EtcdMethods.LeaseGrant, new LeaseGrantRequest { TTL = ttl, ID = id });

    public Task<LeaseRevokeResponse> RevokeAsync(long id) => CallAsync(EtcdMethods.LeaseRevoke, new LeaseRevokeRequest { ID = id });

    public Task<LeaseTimeToLiveResponse> TimeToLiveAsync(long id, bool keys = false) =>
        CallAsync(EtcdMethods.LeaseTimeToLive, new LeaseTimeToLiveRequest { ID = id, Keys = keys });

    public Task<LeaseLeasesResponse> LeasesAsync() => CallAsync(EtcdMethods.LeaseLeases, new LeaseLeasesRequest());

    public Task<StatusResponse> StatusAsync() => CallAsync(EtcdMethods.Status, new StatusRequest());

    public Task<HashKVResponse> HashKVAsync(long revision = 0) => CallAsync(EtcdMethods.HashKV, new HashKVRequest { Revision = revision });

    public Task<MemberListResponse> MemberListAsync() => CallAsync(EtcdMethods.MemberList, new MemberListRequest());

    public async Task<WatchSession> WatchAsync(bool reading = true) => await WatchSession.OpenAsync(channel, reading);

    public DuplexStreamingCall<LeaseKeepAliveRequest, LeaseKeepAliveResponse> KeepAlive() =>
        channel.DuplexStreaming(EtcdMethods.LeaseKeepAlive, new CallOptions(Deadline: DateTime.UtcNow.AddMinutes(2)));
}

/// <summary>Building blocks of transactions.</summary>
public static class Op
{
    public static RequestOp Put(string key, string value, long lease = 0, bool prevKv = false) =>
        new() { RequestPut = new PutRequest { Key = B(key), Value = B(value), Lease = lease, PrevKv = prevKv } };

    public static RequestOp Put(PutRequest put) => new() { RequestPut = put };

    public static RequestOp Get(string key, long revision = 0) => new() { RequestRange = new RangeRequest { Key = B(key), Revision = revision } };

    public static RequestOp Get(RangeRequest range) => new() { RequestRange = range };

    public static RequestOp Delete(string key, bool prevKv = false) => new() { RequestDeleteRange = new DeleteRangeRequest { Key = B(key), PrevKv = prevKv } };

    public static RequestOp Delete(DeleteRangeRequest delete) => new() { RequestDeleteRange = delete };

    public static RequestOp DeletePrefix(string prefix) =>
        new() { RequestDeleteRange = new DeleteRangeRequest { Key = B(prefix), RangeEnd = PrefixEnd(prefix) } };

    public static RequestOp Txn(TxnRequest txn) => new() { RequestTxn = txn };

    public static TxnRequest Txn(IEnumerable<Compare> compares, IEnumerable<RequestOp> success, IEnumerable<RequestOp>? failure = null)
    {
        var txn = new TxnRequest();
        txn.Compare.AddRange(compares);
        txn.Success.AddRange(success);
        txn.Failure.AddRange(failure ?? []);
        return txn;
    }
}

/// <summary>Compares of transactions, one per target.</summary>
public static class Cmp
{
    public static Compare Value(string key, Compare.Types.CompareResult result, string value) =>
        new() { Key = B(key), Target = Compare.Types.CompareTarget.Value, Result = result, Value = B(value) };

    public static Compare Version(string key, Compare.Types.CompareResult result, long version) =>
        new() { Key = B(key), Target = Compare.Types.CompareTarget.Version, Result = result, Version = version };

    public static Compare Create(string key, Compare.Types.CompareResult result, long revision) =>
        new() { Key = B(key), Target = Compare.Types.CompareTarget.Create, Result = result, CreateRevision = revision };

    public static Compare Mod(string key, Compare.Types.CompareResult result, long revision) =>
        new() { Key = B(key), Target = Compare.Types.CompareTarget.Mod, Result = result, ModRevision = revision };

    public static Compare Lease(string key, Compare.Types.CompareResult result, long lease) =>
        new() { Key = B(key), Target = Compare.Types.CompareTarget.Lease, Result = result, Lease = lease };
}
