using Etcdserverpb;
using Google.Protobuf;

namespace MiniKube.Etcd.Client;

/// <summary>etcd's request messages from the client's options.</summary>
internal static class Requests
{
    public static RangeRequest Range(ByteString key, GetOptions? options)
    {
        options ??= Defaults.Get;
        var (start, end) = EtcdKeys.Resolve(key, options.RangeEnd, options.Prefix, options.FromKey);
        var order = options.Order;

        // Results come sorted by key ascending anyway; asking for it explicitly would make the
        // server read the whole range before applying the limit (clientv3.WithSort does the same).
        if (options.SortBy == SortTarget.Key && order == SortOrder.Ascend)
        {
            order = SortOrder.None;
        }

        return new RangeRequest
        {
            Key = start,
            RangeEnd = end,
            Revision = options.Revision,
            Limit = options.Limit,
            SortTarget = (RangeRequest.Types.SortTarget)options.SortBy,
            SortOrder = (RangeRequest.Types.SortOrder)order,
            KeysOnly = options.KeysOnly,
            CountOnly = options.CountOnly,
            Serializable = options.Serializable,
            MinModRevision = options.MinModRevision,
            MaxModRevision = options.MaxModRevision,
            MinCreateRevision = options.MinCreateRevision,
            MaxCreateRevision = options.MaxCreateRevision,
        };
    }

    public static PutRequest Put(ByteString key, ByteString value, PutOptions? options)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(value);
        options ??= Defaults.Put;
        return new PutRequest
        {
            Key = key,
            Value = value,
            Lease = options.Lease,
            PrevKv = options.PrevKv,
            IgnoreValue = options.IgnoreValue,
            IgnoreLease = options.IgnoreLease,
        };
    }

    public static DeleteRangeRequest Delete(ByteString key, DeleteOptions? options)
    {
        options ??= Defaults.Delete;
        var (start, end) = EtcdKeys.Resolve(key, options.RangeEnd, options.Prefix, options.FromKey);
        return new DeleteRangeRequest { Key = start, RangeEnd = end, PrevKv = options.PrevKv };
    }

    public static WatchCreateRequest Watch(ByteString key, WatchOptions? options)
    {
        options ??= Defaults.Watch;
        var (start, end) = EtcdKeys.Resolve(key, options.RangeEnd, options.Prefix, options.FromKey);

        // etcd answers an empty range with a create failure that names no watch (ID -1); refuse it here.
        if (!end.IsEmpty && !(end.Length == 1 && end[0] == 0) && ByteStringComparer.Compare(start, end) >= 0)
        {
            throw new ArgumentException("The watch range is empty: the range end must be greater than the key.", nameof(options));
        }

        var create = new WatchCreateRequest
        {
            Key = start,
            RangeEnd = end,
            StartRevision = options.Revision,
            PrevKv = options.PrevKv,
            ProgressNotify = options.ProgressNotify,
        };
        if (options.NoPut)
        {
            create.Filters.Add(WatchCreateRequest.Types.FilterType.Noput);
        }

        if (options.NoDelete)
        {
            create.Filters.Add(WatchCreateRequest.Types.FilterType.Nodelete);
        }

        return create;
    }

    /// <summary>Reads only: safe to send again after a failure.</summary>
    public static bool IsReadOnly(TxnRequest txn)
        => txn.Success.All(op => op.RequestCase == RequestOp.RequestOneofCase.RequestRange)
            && txn.Failure.All(op => op.RequestCase == RequestOp.RequestOneofCase.RequestRange);

    private static class Defaults
    {
        public static readonly GetOptions Get = new();
        public static readonly PutOptions Put = new();
        public static readonly DeleteOptions Delete = new();
        public static readonly WatchOptions Watch = new();
    }

    private static class ByteStringComparer
    {
        public static int Compare(ByteString a, ByteString b) => a.Span.SequenceCompareTo(b.Span);
    }
}
