using Etcdserverpb;
using Google.Protobuf;

namespace MiniKube.Etcd.Client;

/// <summary>The value of a key (or of every key in a range) to compare, bytewise.</summary>
public readonly record struct ValueCmp(ByteString Key, ByteString RangeEnd)
{
    public Compare Equal(ByteString value) => Build(Compare.Types.CompareResult.Equal, value);

    public Compare Equal(string value) => Equal(ByteString.CopyFromUtf8(value));

    public Compare NotEqual(ByteString value) => Build(Compare.Types.CompareResult.NotEqual, value);

    public Compare NotEqual(string value) => NotEqual(ByteString.CopyFromUtf8(value));

    public Compare Greater(ByteString value) => Build(Compare.Types.CompareResult.Greater, value);

    public Compare Greater(string value) => Greater(ByteString.CopyFromUtf8(value));

    public Compare Less(ByteString value) => Build(Compare.Types.CompareResult.Less, value);

    public Compare Less(string value) => Less(ByteString.CopyFromUtf8(value));

    /// <summary>Compare every key in [Key, end).</summary>
    public ValueCmp WithRange(ByteString end) => this with { RangeEnd = end };

    /// <summary>Compare every key with this prefix.</summary>
    public ValueCmp WithPrefix() => this with { RangeEnd = EtcdKeys.PrefixEnd(Key) };

    private Compare Build(Compare.Types.CompareResult result, ByteString value) => new()
    {
        Key = Key,
        RangeEnd = RangeEnd ?? ByteString.Empty,
        Target = Compare.Types.CompareTarget.Value,
        Result = result,
        Value = value,
    };
}
