using Etcdserverpb;
using Google.Protobuf;

namespace MiniKube.Etcd.Client;

/// <summary>A number of a key (or of every key in a range) to compare: its version, a revision, or its lease.</summary>
public readonly record struct NumberCmp(ByteString Key, ByteString RangeEnd, Compare.Types.CompareTarget Target)
{
    public Compare Equal(long number) => Build(Compare.Types.CompareResult.Equal, number);

    public Compare NotEqual(long number) => Build(Compare.Types.CompareResult.NotEqual, number);

    public Compare Greater(long number) => Build(Compare.Types.CompareResult.Greater, number);

    public Compare Less(long number) => Build(Compare.Types.CompareResult.Less, number);

    /// <summary>Compare every key in [Key, end): the comparison holds only if it holds for each.</summary>
    public NumberCmp WithRange(ByteString end) => this with { RangeEnd = end };

    /// <summary>Compare every key with this prefix.</summary>
    public NumberCmp WithPrefix() => this with { RangeEnd = EtcdKeys.PrefixEnd(Key) };

    private Compare Build(Compare.Types.CompareResult result, long number)
    {
        var compare = new Compare { Key = Key, RangeEnd = RangeEnd ?? ByteString.Empty, Target = Target, Result = result };
        switch (Target)
        {
            case Compare.Types.CompareTarget.Version:
                compare.Version = number;
                break;
            case Compare.Types.CompareTarget.Create:
                compare.CreateRevision = number;
                break;
            case Compare.Types.CompareTarget.Mod:
                compare.ModRevision = number;
                break;
            case Compare.Types.CompareTarget.Lease:
                compare.Lease = number;
                break;
            default:
                throw new InvalidOperationException($"{Target} is not compared with a number.");
        }

        return compare;
    }
}
