using System.Text;

namespace MiniKube.RocksDb.Tests;

internal static class Bytes
{
    public static byte[] Of(string s) => Encoding.UTF8.GetBytes(s);

    public static string Str(byte[]? b) => b is null ? "<null>" : Encoding.UTF8.GetString(b);

    public static string Str(ReadOnlySpan<byte> b) => Encoding.UTF8.GetString(b);
}
