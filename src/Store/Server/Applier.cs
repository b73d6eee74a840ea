using Etcdserverpb;
using Google.Protobuf;
using MiniKube.Grpc;
using MiniKube.Store.Internal;
using MiniKube.Store.Lease;
using MiniKube.Store.Mvcc;

namespace MiniKube.Store.Server;

/// <summary>The outcome of applying one write: a response or an error, and the changes it made.</summary>
public sealed record AppliedWrite(IMessage? Response, Exception? Error, IReadOnlyList<Mvccpb.Event> Changes, long ScheduledCompaction)
{
    /// <summary>Set by the writer once the physical compaction this write asked for has started.</summary>
    public Task? PhysicalCompaction { get; init; }
}

/// <summary>
/// Executes etcd's KV and lease requests against the MVCC store with etcd's semantics
/// (etcdserver/apply.go): read-only requests on the published state from any thread, writes on
/// the writer thread. Responses carry only the revision in their headers; the service layer adds
/// the cluster identity to the top-level header.
/// </summary>
public sealed class Applier(MvccStore store, Lessor lessor)
{
    public MvccStore Store => store;

    /// <summary>Operations executed, nested ones included, by kind (etcd's etcd_mvcc_*_total).</summary>
    public KvOperationCounts Counts { get; } = new();

    public Lessor Lessor => lessor;

    public RangeResponse Range(RangeRequest request) => Range(new MvccReadView(store), request);

    /// <summary>A transaction of ranges only: served from the published state without a write.</summary>
    public TxnResponse ReadOnlyTxn(TxnRequest request) => Txn(new MvccReadView(store), request, isWrite: false);

    /// <summary>etcd's isTxnReadonly: nothing but ranges in either branch (a nested txn counts as a write).</summary>
    public static bool IsReadOnly(TxnRequest request) =>
        request.Success.All(op => op.RequestCase == RequestOp.RequestOneofCase.RequestRange) &&
        request.Failure.All(op => op.RequestCase == RequestOp.RequestOneofCase.RequestRange);

    /// <summary>Applies write number <paramref name="index"/> as one MVCC transaction. Writer thread only.</summary>
    public AppliedWrite Apply(InternalRequest request, long index)
    {
        using var txn = store.BeginWrite(index);
        IMessage response;
        long compaction = 0;
        try
        {
            switch (request.RequestCase)
            {
                case InternalRequest.RequestOneofCase.Put:
                    CheckPut(txn, request.Put);
                    response = Put(txn, request.Put);
                    break;
                case InternalRequest.RequestOneofCase.DeleteRange:
                    response = DeleteRange(txn, request.DeleteRange);
                    break;
                case InternalRequest.RequestOneofCase.Txn:
                    response = Txn(txn, request.Txn, isWrite: !IsReadOnly(request.Txn));
                    break;
                case InternalRequest.RequestOneofCase.Compaction:
                    compaction = request.Compaction.Revision;
                    store.ScheduleCompaction(txn, compaction);
                    response = new CompactionResponse { Header = Header(txn.BeginRevision) };
                    break;
                case InternalRequest.RequestOneofCase.LeaseGrant:
                    var ttl = lessor.Grant(txn, request.LeaseGrant.ID, request.LeaseGrant.TTL);
                    response = new LeaseGrantResponse { Header = Header(txn.BeginRevision), ID = request.LeaseGrant.ID, TTL = ttl };
                    break;
                case InternalRequest.RequestOneofCase.LeaseRevoke:
                    lessor.Revoke(txn, request.LeaseRevoke.ID);
                    response = new LeaseRevokeResponse { Header = Header(txn.Revision) };
                    break;
                default:
                    throw new RpcException(StatusCode.InvalidArgument, "etcdserver: empty request");
            }
        }
        catch (Exception e) when (e is MvccException or LeaseException or RpcException)
        {
            store.Skipped(index);
            return new AppliedWrite(null, EtcdErrors.ToRpc(e), [], 0);
        }

        txn.Commit();
        lessor.Apply(txn.Changes);
        if (compaction > 0)
        {
            store.CompactionScheduled(compaction);
        }

        return new AppliedWrite(response, null, [.. txn.Changes], compaction);
    }

    private RangeResponse Range(IKvView view, RangeRequest request)
    {
        Counts.CountRange();
        var filtered = request.SortOrder != RangeRequest.Types.SortOrder.None ||
            request.MinModRevision != 0 || request.MaxModRevision != 0 ||
            request.MinCreateRevision != 0 || request.MaxCreateRevision != 0;

        // Sorting and filtering need every key; otherwise one past the limit tells whether there is more.
        var limit = filtered ? 0 : request.Limit > 0 ? request.Limit + 1 : 0;

        // etcd sorts before it drops the values of a keys-only range, so a sort by value needs them.
        var sortByValue = request.SortTarget == RangeRequest.Types.SortTarget.Value;
        var result = view.Range(
            KeyRange.FromRequest(request.Key, request.RangeEnd),
            new RangeOptions(limit, request.Revision, request.CountOnly),
            request.KeysOnly && !sortByValue);

        IEnumerable<Mvccpb.KeyValue> kvs = result.KeyValues;
        if (request.MaxModRevision != 0)
        {
            kvs = kvs.Where(kv => kv.ModRevision <= request.MaxModRevision);
        }

        if (request.MinModRevision != 0)
        {
            kvs = kvs.Where(kv => kv.ModRevision >= request.MinModRevision);
        }

        if (request.MaxCreateRevision != 0)
        {
            kvs = kvs.Where(kv => kv.CreateRevision <= request.MaxCreateRevision);
        }

        if (request.MinCreateRevision != 0)
        {
            kvs = kvs.Where(kv => kv.CreateRevision >= request.MinCreateRevision);
        }

        var sortOrder = request.SortOrder;
        if (request.SortTarget != RangeRequest.Types.SortTarget.Key && sortOrder == RangeRequest.Types.SortOrder.None)
        {
            sortOrder = RangeRequest.Types.SortOrder.Ascend; // results are in key order already; other targets sort ascending by default
        }

        if (sortOrder != RangeRequest.Types.SortOrder.None)
        {
            kvs = Sort(kvs, request.SortTarget, sortOrder == RangeRequest.Types.SortOrder.Descend);
        }

        var list = kvs.ToList();
        var response = new RangeResponse { Header = Header(result.Revision), Count = result.Count };
        if (request.Limit > 0 && list.Count > request.Limit)
        {
            list.RemoveRange((int)request.Limit, list.Count - (int)request.Limit);
            response.More = true;
        }

        response.Kvs.AddRange(request.KeysOnly && sortByValue ? list.Select(kv => new Mvccpb.KeyValue(kv) { Value = ByteString.Empty }) : list);
        return response;
    }

    private static IEnumerable<Mvccpb.KeyValue> Sort(IEnumerable<Mvccpb.KeyValue> kvs, RangeRequest.Types.SortTarget target, bool descending)
    {
        Comparison<Mvccpb.KeyValue> compare = target switch
        {
            RangeRequest.Types.SortTarget.Version => (a, b) => a.Version.CompareTo(b.Version),
            RangeRequest.Types.SortTarget.Create => (a, b) => a.CreateRevision.CompareTo(b.CreateRevision),
            RangeRequest.Types.SortTarget.Mod => (a, b) => a.ModRevision.CompareTo(b.ModRevision),
            RangeRequest.Types.SortTarget.Value => (a, b) => a.Value.Span.SequenceCompareTo(b.Value.Span),
            _ => (a, b) => a.Key.Span.SequenceCompareTo(b.Key.Span),
        };
        var comparer = Comparer<Mvccpb.KeyValue>.Create(descending ? (a, b) => compare(b, a) : compare);
        return kvs.Order(comparer);
    }

    private PutResponse Put(MvccWriteTxn txn, PutRequest request)
    {
        Counts.CountPut();
        var response = new PutResponse();
        var key = request.Key.ToByteArray();
        var value = request.Value;
        var lease = request.Lease;
        if (request.IgnoreValue || request.IgnoreLease || request.PrevKv)
        {
            var previous = txn.Get(key);
            if ((request.IgnoreValue || request.IgnoreLease) && previous is null)
            {
                throw EtcdErrors.KeyNotFound;
            }

            if (request.IgnoreValue)
            {
                value = previous!.Value;
            }

            if (request.IgnoreLease)
            {
                lease = previous!.Lease;
            }

            if (request.PrevKv && previous is not null)
            {
                response.PrevKv = previous;
            }
        }

        txn.Put(key, value, lease);
        response.Header = Header(txn.Revision);
        return response;
    }

    private DeleteRangeResponse DeleteRange(MvccWriteTxn txn, DeleteRangeRequest request)
    {
        Counts.CountDelete();
        var deleted = txn.DeleteRange(KeyRange.FromRequest(request.Key, request.RangeEnd));
        var response = new DeleteRangeResponse { Deleted = deleted.Count, Header = Header(txn.Revision) };
        if (request.PrevKv)
        {
            response.PrevKvs.AddRange(deleted);
        }

        return response;
    }

    /// <summary>
    /// etcd's Txn: every compare, nested ones included, is evaluated on the state before the
    /// transaction; then the chosen operations are checked, then applied in order.
    /// </summary>
    private TxnResponse Txn(IKvView view, TxnRequest request, bool isWrite)
    {
        Counts.CountTxn();
        var plan = Plan(view, request);
        if (isWrite)
        {
            Check(view, request, plan, checkPuts: true);
        }

        Check(view, request, plan, checkPuts: false);
        var response = Execute(view, request, plan);
        response.Header = Header(view.Revision);
        return response;
    }

    /// <summary>Which branch each (nested) transaction takes, decided up front.</summary>
    private sealed record TxnPlan(bool Succeeded, Dictionary<int, TxnPlan> Nested);

    private static TxnPlan Plan(IKvView view, TxnRequest request)
    {
        var succeeded = request.Compare.All(c => Compare(view, c));
        var nested = new Dictionary<int, TxnPlan>();
        var ops = succeeded ? request.Success : request.Failure;
        for (var i = 0; i < ops.Count; i++)
        {
            if (ops[i].RequestCase == RequestOp.RequestOneofCase.RequestTxn)
            {
                nested[i] = Plan(view, ops[i].RequestTxn);
            }
        }

        return new TxnPlan(succeeded, nested);
    }

    private void Check(IKvView view, TxnRequest request, TxnPlan plan, bool checkPuts)
    {
        var ops = plan.Succeeded ? request.Success : request.Failure;
        for (var i = 0; i < ops.Count; i++)
        {
            var op = ops[i];
            switch (op.RequestCase)
            {
                case RequestOp.RequestOneofCase.RequestTxn:
                    Check(view, op.RequestTxn, plan.Nested[i], checkPuts);
                    break;
                case RequestOp.RequestOneofCase.RequestPut when checkPuts:
                    CheckPut(view, op.RequestPut);
                    break;
                case RequestOp.RequestOneofCase.RequestRange when !checkPuts:
                    var revision = op.RequestRange.Revision;
                    if (revision > view.Revision)
                    {
                        throw new MvccException(MvccError.FutureRevision);
                    }

                    // As etcd's checkRequestRange: any nonzero revision below the first readable one
                    // (-1 before a compaction), so a negative one counts as compacted.
                    if (revision != 0 && revision < view.CompactRevision)
                    {
                        throw new MvccException(MvccError.Compacted);
                    }

                    break;
            }
        }
    }

    private void CheckPut(IKvView view, PutRequest request)
    {
        if ((request.IgnoreValue || request.IgnoreLease) &&
            view.Range(KeyRange.ForKey(request.Key.ToByteArray()), new RangeOptions(CountOnly: true)).Count == 0)
        {
            throw EtcdErrors.KeyNotFound;
        }

        if (request.Lease != 0 && !lessor.Exists(request.Lease))
        {
            throw new LeaseException(LeaseError.NotFound);
        }
    }

    private TxnResponse Execute(IKvView view, TxnRequest request, TxnPlan plan)
    {
        var response = new TxnResponse { Succeeded = plan.Succeeded };
        var ops = plan.Succeeded ? request.Success : request.Failure;
        for (var i = 0; i < ops.Count; i++)
        {
            var op = ops[i];
            var result = new ResponseOp();
            switch (op.RequestCase)
            {
                case RequestOp.RequestOneofCase.RequestRange:
                    result.ResponseRange = Range(view, op.RequestRange);
                    break;
                case RequestOp.RequestOneofCase.RequestPut:
                    result.ResponsePut = Put((MvccWriteTxn)view, op.RequestPut);
                    break;
                case RequestOp.RequestOneofCase.RequestDeleteRange:
                    result.ResponseDeleteRange = DeleteRange((MvccWriteTxn)view, op.RequestDeleteRange);
                    break;
                case RequestOp.RequestOneofCase.RequestTxn:
                    var nested = Execute(view, op.RequestTxn, plan.Nested[i]);
                    nested.Header = new ResponseHeader(); // etcd leaves nested headers empty
                    result.ResponseTxn = nested;
                    break;
            }

            response.Responses.Add(result);
        }

        return response;
    }

    /// <summary>etcd's applyCompare: every key in the range must satisfy it; no key compares as a zero key-value, except on VALUE.</summary>
    private static bool Compare(IKvView view, Etcdserverpb.Compare compare)
    {
        var kvs = view.Range(KeyRange.FromRequest(compare.Key, compare.RangeEnd), default).KeyValues;
        if (kvs.Count == 0)
        {
            return compare.Target != Etcdserverpb.Compare.Types.CompareTarget.Value && CompareOne(compare, new Mvccpb.KeyValue());
        }

        return kvs.All(kv => CompareOne(compare, kv));
    }

    private static bool CompareOne(Etcdserverpb.Compare compare, Mvccpb.KeyValue kv)
    {
        var result = compare.Target switch
        {
            Etcdserverpb.Compare.Types.CompareTarget.Value => kv.Value.Span.SequenceCompareTo(compare.Value.Span),
            Etcdserverpb.Compare.Types.CompareTarget.Create => kv.CreateRevision.CompareTo(compare.CreateRevision),
            Etcdserverpb.Compare.Types.CompareTarget.Mod => kv.ModRevision.CompareTo(compare.ModRevision),
            Etcdserverpb.Compare.Types.CompareTarget.Version => kv.Version.CompareTo(compare.Version),
            Etcdserverpb.Compare.Types.CompareTarget.Lease => kv.Lease.CompareTo(compare.Lease),
            _ => 0,
        };
        return compare.Result switch
        {
            Etcdserverpb.Compare.Types.CompareResult.Equal => result == 0,
            Etcdserverpb.Compare.Types.CompareResult.NotEqual => result != 0,
            Etcdserverpb.Compare.Types.CompareResult.Greater => result > 0,
            Etcdserverpb.Compare.Types.CompareResult.Less => result < 0,
            _ => true,
        };
    }

    private static ResponseHeader Header(long revision) => new() { Revision = revision };
}
