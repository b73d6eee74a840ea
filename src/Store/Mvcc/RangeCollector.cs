namespace MiniKube.Store.Mvcc;

/// <summary>Counts every key of a range and keeps the first <c>limit</c> of them, as etcd's range does.</summary>
internal sealed class RangeCollector(RangeOptions options, bool keysOnly)
{
    public List<Mvccpb.KeyValue> KeyValues { get; } = [];

    public long Count { get; private set; }

    public bool Visit(ReadOnlySpan<byte> versionKey, ReadOnlySpan<byte> record)
    {
        Count++;
        if (!options.CountOnly && (options.Limit <= 0 || KeyValues.Count < options.Limit))
        {
            KeyValues.Add(VersionScanner.ToKeyValue(versionKey, record, keysOnly));
        }

        return true;
    }

    public void Add(Mvccpb.KeyValue kv)
    {
        Count++;
        if (!options.CountOnly && (options.Limit <= 0 || KeyValues.Count < options.Limit))
        {
            KeyValues.Add(keysOnly && !kv.Value.IsEmpty ? new Mvccpb.KeyValue(kv) { Value = Google.Protobuf.ByteString.Empty } : kv);
        }
    }
}
