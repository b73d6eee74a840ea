using System.Text;
using Google.Protobuf;

namespace MiniKube.Store.Integration.Tests.Infrastructure;

/// <summary>Keys and values as text, and etcd's range conventions.</summary>
public static class Bytes
{
    public static ByteString B(string text) => ByteString.CopyFromUtf8(text);

    public static string S(ByteString bytes) => bytes.ToStringUtf8();

    /// <summary>etcd's "from key" range end: every key at or after the range's key.</summary>
    public static readonly ByteString FromKey = ByteString.CopyFrom(0);

    /// <summary>The range end that makes a range cover every key starting with <paramref name="prefix"/> (its last byte plus one).</summary>
    public static ByteString PrefixEnd(string prefix)
    {
        var bytes = Encoding.UTF8.GetBytes(prefix);
        bytes[^1]++;
        return ByteString.CopyFrom(bytes);
    }

    /// <summary>A key prefix no other test uses, naming the test for whoever reads the server's keys.</summary>
    public static string UniquePrefix(string test) => $"/{test}/{Guid.NewGuid():N}/";
}
