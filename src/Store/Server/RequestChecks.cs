using Etcdserverpb;
using Google.Protobuf;
using MiniKube.Store.Backend;

namespace MiniKube.Store.Server;

/// <summary>Validation done before a request is proposed, as etcd's v3rpc/key.go does it.</summary>
public static class RequestChecks
{
    public static void CheckPut(PutRequest request)
    {
        if (request.Key.IsEmpty)
        {
            throw EtcdErrors.EmptyKey;
        }

        if (request.IgnoreValue && !request.Value.IsEmpty)
        {
            throw EtcdErrors.ValueProvided;
        }

        if (request.IgnoreLease && request.Lease != 0)
        {
            throw EtcdErrors.LeaseProvided;
        }
    }

    /// <summary>Operation limits, empty keys, then no key both put and deleted (etcd's checkTxnRequest and checkIntervals).</summary>
    public static void CheckTxn(TxnRequest request, int maxTxnOps)
    {
        CheckTxnOps(request, maxTxnOps);
        CheckIntervals(request.Success);
        CheckIntervals(request.Failure);
    }

    public static bool HasPuts(TxnRequest request) =>
        request.Success.Concat(request.Failure).Any(op => op.RequestCase switch
        {
            RequestOp.RequestOneofCase.RequestPut => true,
            RequestOp.RequestOneofCase.RequestTxn => HasPuts(op.RequestTxn),
            _ => false,
        });

    private static void CheckTxnOps(TxnRequest request, int maxTxnOps)
    {
        var ops = Math.Max(request.Compare.Count, Math.Max(request.Success.Count, request.Failure.Count));
        if (ops > maxTxnOps)
        {
            throw EtcdErrors.TooManyOps;
        }

        if (request.Compare.Any(c => c.Key.IsEmpty))
        {
            throw EtcdErrors.EmptyKey;
        }

        foreach (var op in request.Success.Concat(request.Failure))
        {
            switch (op.RequestCase)
            {
                case RequestOp.RequestOneofCase.RequestRange when op.RequestRange.Key.IsEmpty:
                case RequestOp.RequestOneofCase.RequestDeleteRange when op.RequestDeleteRange.Key.IsEmpty:
                    throw EtcdErrors.EmptyKey;
                case RequestOp.RequestOneofCase.RequestPut:
                    CheckPut(op.RequestPut);
                    break;
                case RequestOp.RequestOneofCase.RequestTxn:
                    CheckTxnOps(op.RequestTxn, maxTxnOps - ops);
                    break;
                case RequestOp.RequestOneofCase.None:
                    throw EtcdErrors.KeyNotFound; // etcd's answer to an empty operation
            }
        }
    }

    /// <summary>The keys a list of operations puts, and the ranges it deletes, after checking they do not overlap.</summary>
    private static (HashSet<byte[]> Puts, List<(byte[] Start, byte[]? End)> Deletes) CheckIntervals(IList<RequestOp> ops)
    {
        var deletes = new List<(byte[] Start, byte[]? End)>();
        foreach (var op in ops.Where(o => o.RequestCase == RequestOp.RequestOneofCase.RequestDeleteRange))
        {
            deletes.Add(Interval(op.RequestDeleteRange.Key, op.RequestDeleteRange.RangeEnd));
        }

        var puts = new HashSet<byte[]>(ByteArrayComparer.Instance);
        foreach (var op in ops.Where(o => o.RequestCase == RequestOp.RequestOneofCase.RequestTxn))
        {
            var (putsThen, deletesThen) = CheckIntervals(op.RequestTxn.Success);
            var (putsElse, deletesElse) = CheckIntervals(op.RequestTxn.Failure);
            foreach (var key in putsThen)
            {
                if (puts.Contains(key) || Intersects(deletes, key))
                {
                    throw EtcdErrors.DuplicateKey;
                }

                puts.Add(key);
            }

            foreach (var key in putsElse)
            {
                // The two branches exclude each other, so the same key in both is fine.
                if ((puts.Contains(key) && !putsThen.Contains(key)) || Intersects(deletes, key))
                {
                    throw EtcdErrors.DuplicateKey;
                }

                puts.Add(key);
            }

            deletes.AddRange(deletesThen);
            deletes.AddRange(deletesElse);
        }

        foreach (var op in ops.Where(o => o.RequestCase == RequestOp.RequestOneofCase.RequestPut))
        {
            var key = op.RequestPut.Key.ToByteArray();
            if (!puts.Add(key) || Intersects(deletes, key))
            {
                throw EtcdErrors.DuplicateKey;
            }
        }

        return (puts, deletes);
    }

    /// <summary>
    /// A delete's keys as an interval, End null for one key. As in etcd 3.4, a range end is taken
    /// literally: "\0" ("to the end") makes the interval [key, "\0"), which holds no key, so a
    /// from-key delete never conflicts with a put in the same branch.
    /// </summary>
    private static (byte[] Start, byte[]? End) Interval(ByteString key, ByteString rangeEnd) =>
        rangeEnd.Length == 0 ? (key.ToByteArray(), null) : (key.ToByteArray(), rangeEnd.ToByteArray());

    private static bool Intersects(List<(byte[] Start, byte[]? End)> deletes, byte[] key) =>
        deletes.Any(d => d.End is null
            ? key.AsSpan().SequenceEqual(d.Start)
            : key.AsSpan().SequenceCompareTo(d.Start) >= 0 && key.AsSpan().SequenceCompareTo(d.End) < 0);
}
