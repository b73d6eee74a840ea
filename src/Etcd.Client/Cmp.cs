using Etcdserverpb;
using Google.Protobuf;

namespace MiniKube.Etcd.Client;

/// <summary>
/// Comparisons for a transaction's If, as clientv3's Compare:
/// <c>Cmp.ModRevision(key).Equal(0)</c> (the key does not exist),
/// <c>Cmp.ModRevision(key).Equal(rv)</c> (nobody changed it since rv),
/// <c>Cmp.Value(key).Equal("x")</c>.
/// </summary>
public static class Cmp
{
    public static ValueCmp Value(ByteString key) => new(key, ByteString.Empty);

    public static ValueCmp Value(string key) => Value(ByteString.CopyFromUtf8(key));

    /// <summary>The number of times the key was written since it was created; 0 if it does not exist.</summary>
    public static NumberCmp Version(ByteString key) => new(key, ByteString.Empty, Compare.Types.CompareTarget.Version);

    public static NumberCmp Version(string key) => Version(ByteString.CopyFromUtf8(key));

    /// <summary>The revision that created the key; 0 if it does not exist.</summary>
    public static NumberCmp CreateRevision(ByteString key) => new(key, ByteString.Empty, Compare.Types.CompareTarget.Create);

    public static NumberCmp CreateRevision(string key) => CreateRevision(ByteString.CopyFromUtf8(key));

    /// <summary>The revision that last wrote the key; 0 if it does not exist.</summary>
    public static NumberCmp ModRevision(ByteString key) => new(key, ByteString.Empty, Compare.Types.CompareTarget.Mod);

    public static NumberCmp ModRevision(string key) => ModRevision(ByteString.CopyFromUtf8(key));

    /// <summary>The lease the key is attached to; 0 for none.</summary>
    public static NumberCmp Lease(ByteString key) => new(key, ByteString.Empty, Compare.Types.CompareTarget.Lease);

    public static NumberCmp Lease(string key) => Lease(ByteString.CopyFromUtf8(key));
}
