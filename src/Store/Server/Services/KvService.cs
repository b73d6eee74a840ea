using Etcdserverpb;
using MiniKube.Grpc;
using MiniKube.Store.Internal;

namespace MiniKube.Store.Server.Services;

/// <summary>etcdserverpb.KV: request checks as etcd's v3rpc/key.go, then the applier or the writer.</summary>
public sealed class KvService(StoreServer server)
{
    public const string ServiceName = "etcdserverpb.KV";

    public void Register(StoreServiceRegistry registry)
    {
        registry.AddUnary<RangeRequest, RangeResponse>(ServiceName, "Range", RangeRequest.Parser, RangeAsync);
        registry.AddUnary<PutRequest, PutResponse>(ServiceName, "Put", PutRequest.Parser, PutAsync);
        registry.AddUnary<DeleteRangeRequest, DeleteRangeResponse>(ServiceName, "DeleteRange", DeleteRangeRequest.Parser, DeleteRangeAsync);
        registry.AddUnary<TxnRequest, TxnResponse>(ServiceName, "Txn", TxnRequest.Parser, TxnAsync);
        registry.AddUnary<CompactionRequest, CompactionResponse>(ServiceName, "Compact", CompactionRequest.Parser, CompactAsync);
    }

    private async Task<RangeResponse> RangeAsync(RangeRequest request, ServerCallContext context)
    {
        if (request.Key.IsEmpty)
        {
            throw EtcdErrors.EmptyKey;
        }

        if (!request.Serializable)
        {
            await server.LinearizableReadAsync(context.CancellationToken).ConfigureAwait(false);
        }

        var response = Run(() => server.Applier.Range(request));
        server.Fill(response.Header);
        return response;
    }

    private async Task<PutResponse> PutAsync(PutRequest request, ServerCallContext context)
    {
        RequestChecks.CheckPut(request);
        var size = CheckSize(request.CalculateSize());
        server.CheckQuota(size);
        var response = await server.WriteAsync<PutResponse>(new InternalRequest { Put = request }, context.CancellationToken).ConfigureAwait(false);
        server.Fill(response.Header);
        return response;
    }

    private async Task<DeleteRangeResponse> DeleteRangeAsync(DeleteRangeRequest request, ServerCallContext context)
    {
        if (request.Key.IsEmpty)
        {
            throw EtcdErrors.EmptyKey;
        }

        CheckSize(request.CalculateSize());
        var response = await server.WriteAsync<DeleteRangeResponse>(new InternalRequest { DeleteRange = request }, context.CancellationToken).ConfigureAwait(false);
        server.Fill(response.Header);
        return response;
    }

    private async Task<TxnResponse> TxnAsync(TxnRequest request, ServerCallContext context)
    {
        RequestChecks.CheckTxn(request, server.Options.MaxTxnOps);
        TxnResponse response;
        if (Applier.IsReadOnly(request))
        {
            if (!IsSerializable(request))
            {
                await server.LinearizableReadAsync(context.CancellationToken).ConfigureAwait(false);
            }

            response = Run(() => server.Applier.ReadOnlyTxn(request));
        }
        else
        {
            var size = CheckSize(request.CalculateSize());
            if (RequestChecks.HasPuts(request))
            {
                server.CheckQuota(size);
            }

            response = await server.WriteAsync<TxnResponse>(new InternalRequest { Txn = request }, context.CancellationToken).ConfigureAwait(false);
        }

        server.Fill(response.Header);
        return response;
    }

    private async Task<CompactionResponse> CompactAsync(CompactionRequest request, ServerCallContext context)
    {
        var response = await server.WriteAsync<CompactionResponse>(new InternalRequest { Compaction = request }, context.CancellationToken).ConfigureAwait(false);
        server.Fill(response.Header);
        return response;
    }

    /// <summary>etcd's isTxnSerializable: a read-only transaction is answered locally only if every range in it asks to be.</summary>
    private static bool IsSerializable(TxnRequest txn) =>
        txn.Success.Concat(txn.Failure).All(op => op.RequestCase switch
        {
            RequestOp.RequestOneofCase.RequestRange => op.RequestRange.Serializable,
            RequestOp.RequestOneofCase.RequestTxn => IsSerializable(op.RequestTxn),
            _ => true,
        });

    private int CheckSize(int size) => size > server.Options.MaxRequestBytes ? throw EtcdErrors.RequestTooLarge : size;

    private static T Run<T>(Func<T> read)
    {
        try
        {
            return read();
        }
        catch (Exception e) when (e is Mvcc.MvccException or Lease.LeaseException)
        {
            throw EtcdErrors.ToRpc(e);
        }
    }
}
