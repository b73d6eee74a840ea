using System.Buffers.Binary;
using Google.Protobuf;

namespace MiniKube.Cli.Bench;

/// <summary>
/// The benchmark's keys: key i of the key space is i as a big-endian integer, in the first 8 bytes
/// of a key of 8 or more bytes (zero-padded after) or in all bytes of a shorter key. Keys thus sort
/// as their numbers do, and the whole key space is the one range [key(0), key(space)).
/// </summary>
public static class BenchKeys
{
    public static long MaxKeySpace(int keySize) => keySize >= 8 ? long.MaxValue : 1L << (8 * keySize);

    /// <summary>Writes key <paramref name="index"/> into <paramref name="key"/>, whose length is the key size.</summary>
    public static void Write(Span<byte> key, long index)
    {
        Span<byte> number = stackalloc byte[sizeof(long)];
        BinaryPrimitives.WriteInt64BigEndian(number, index);
        if (key.Length >= number.Length)
        {
            number.CopyTo(key);
            key[number.Length..].Clear();
        }
        else
        {
            number[(number.Length - key.Length)..].CopyTo(key);
        }
    }

    public static ByteString Key(int keySize, long index)
    {
        var key = new byte[keySize];
        Write(key, index);
        return UnsafeByteOperations.UnsafeWrap(key);
    }

    /// <summary>The [start, end) range holding every key of the key space, as a Range or Watch request takes it.</summary>
    public static (ByteString Start, ByteString End) SpaceRange(int keySize, long keySpaceSize)
    {
        // When the space is every key of this size, key(space) does not exist: "\0" means "to the end".
        var end = keySpaceSize >= MaxKeySpace(keySize) ? ByteString.CopyFrom(0) : Key(keySize, keySpaceSize);
        return (Key(keySize, 0), end);
    }
}
