namespace MiniKube.Grpc.Http2;

/// <summary>
/// Decodes every request header block of one connection, in order, to keep a mirror of the HPACK
/// dynamic table, and rewrites an <c>:authority</c> literal whose value is a URL
/// ("scheme://host:port/...") to just "host:port". Never called concurrently (one per connection).
/// </summary>
/// <remarks>
/// A rewritten field is re-encoded as a plain (non-Huffman) literal with the same representation:
/// with incremental indexing when the client's was. Kestrel's decoder therefore inserts an entry
/// for the same field at the same point as the client's encoder did, only with a shorter value.
/// HPACK indices count from the newest entry, and an entry is evicted only when the table's total
/// size exceeds its limit; since each of Kestrel's entries is at most as large as the client's
/// counterpart, Kestrel evicts no earlier than the client. Kestrel's table is thus the client's
/// plus, possibly, some older entries at the far end, so every index the client uses names the
/// same entry in both tables, and a later indexed reference to the rewritten entry resolves to the
/// rewritten value. The mirror here follows the client's view, which is what its indices mean.
/// </remarks>
internal sealed class HeaderBlockRewriter
{
    private const int MaxIntegerBits = 28;

    private enum Representation
    {
        IncrementalIndexing,
        WithoutIndexing,
        NeverIndexed,
    }

    public HpackDynamicTableMirror Table { get; } = new();

    /// <summary>
    /// Processes one complete header block. Returns null when nothing needed rewriting (the common
    /// case, which allocates nothing), else the rewritten block. Throws <see cref="HpackException"/>
    /// for a malformed block, after which this connection's mirror can no longer be trusted.
    /// </summary>
    public byte[]? Process(ReadOnlySpan<byte> block)
    {
        List<Rewrite>? rewrites = null;
        var position = 0;
        while (position < block.Length)
        {
            var start = position;
            var first = block[position];
            if ((first & 0x80) != 0)
            {
                var index = ReadInteger(block, ref position, 7);
                _ = ResolveName(index);
                continue;
            }

            if ((first & 0xE0) == 0x20)
            {
                Table.SetMaxSize(ReadInteger(block, ref position, 5));
                continue;
            }

            Representation representation;
            int prefixBits;
            if ((first & 0xC0) == 0x40)
            {
                representation = Representation.IncrementalIndexing;
                prefixBits = 6;
            }
            else
            {
                representation = (first & 0x10) != 0 ? Representation.NeverIndexed : Representation.WithoutIndexing;
                prefixBits = 4;
            }

            var nameIndex = ReadInteger(block, ref position, prefixBits);
            var (nameLength, isAuthority) = nameIndex == 0 ? ReadLiteralName(block, ref position) : ResolveName(nameIndex);
            var value = ReadString(block, ref position, out var huffman);

            int valueLength;
            if (isAuthority)
            {
                var decoded = huffman ? DecodeHuffman(value) : value.ToArray();
                valueLength = decoded.Length;
                if (TryExtractAuthority(decoded, out var authority))
                {
                    rewrites ??= [];
                    rewrites.Add(new Rewrite(start, position, representation, decoded[authority]));
                }
            }
            else if (representation == Representation.IncrementalIndexing)
            {
                valueLength = huffman ? HuffmanLength(value) : value.Length;
            }
            else
            {
                // Not indexed: its value length changes nothing we track, so it need not be decoded.
                continue;
            }

            if (representation == Representation.IncrementalIndexing)
            {
                Table.Add(nameLength, valueLength, isAuthority);
            }
        }

        return rewrites is null ? null : Rebuild(block, rewrites);
    }

    /// <summary>The host:port part of "scheme://[userinfo@]host:port[/path]", as a range of <paramref name="value"/>.</summary>
    internal static bool TryExtractAuthority(ReadOnlySpan<byte> value, out Range authority)
    {
        authority = default;
        var separator = value.IndexOf("://"u8);
        if (separator <= 0 || !IsScheme(value[..separator]))
        {
            return false;
        }

        var start = separator + 3;
        var rest = value[start..];
        var end = rest.IndexOfAny("/?#"u8);
        if (end < 0)
        {
            end = rest.Length;
        }

        var at = rest[..end].LastIndexOf((byte)'@');
        if (at >= 0)
        {
            start += at + 1;
            end -= at + 1;
        }

        if (end == 0)
        {
            return false;
        }

        authority = start..(start + end);
        return true;
    }

    private static bool IsScheme(ReadOnlySpan<byte> scheme)
    {
        if (!char.IsAsciiLetter((char)scheme[0]))
        {
            return false;
        }

        foreach (var c in scheme)
        {
            if (!char.IsAsciiLetterOrDigit((char)c) && c is not (byte)'+' and not (byte)'-' and not (byte)'.')
            {
                return false;
            }
        }

        return true;
    }

    private (int NameLength, bool IsAuthority) ResolveName(int index)
    {
        if (index == 0)
        {
            throw new HpackException("index 0 is not valid");
        }

        if (index <= HpackStaticTable.Count)
        {
            return (HpackStaticTable.NameLength(index), index == HpackStaticTable.AuthorityIndex);
        }

        var entry = Table[index - HpackStaticTable.Count - 1];
        return (entry.NameLength, entry.IsAuthority);
    }

    private static (int NameLength, bool IsAuthority) ReadLiteralName(ReadOnlySpan<byte> block, ref int position)
    {
        var name = ReadString(block, ref position, out var huffman);
        if (!huffman)
        {
            return (name.Length, name.SequenceEqual(":authority"u8));
        }

        // Ten symbols take at most 10 * 30 bits: a longer encoding cannot be ":authority".
        if (name.Length > 38)
        {
            return (HuffmanLength(name), false);
        }

        Span<byte> decoded = stackalloc byte[64];
        var length = Huffman.Decode(name, decoded);
        return length < 0
            ? throw new HpackException("invalid Huffman encoding")
            : (length, decoded[..length].SequenceEqual(":authority"u8));
    }

    private static ReadOnlySpan<byte> ReadString(ReadOnlySpan<byte> block, ref int position, out bool huffman)
    {
        if (position >= block.Length)
        {
            throw new HpackException("header block ends before a string");
        }

        huffman = (block[position] & 0x80) != 0;
        var length = ReadInteger(block, ref position, 7);
        if (length > block.Length - position)
        {
            throw new HpackException("string runs past the end of the header block");
        }

        var bytes = block.Slice(position, length);
        position += length;
        return bytes;
    }

    private static byte[] DecodeHuffman(ReadOnlySpan<byte> encoded)
    {
        var buffer = new byte[encoded.Length * 8 / 5];
        var length = Huffman.Decode(encoded, buffer);
        return length < 0 ? throw new HpackException("invalid Huffman encoding") : buffer[..length];
    }

    private static int HuffmanLength(ReadOnlySpan<byte> encoded)
    {
        var length = Huffman.Decode(encoded, default, write: false);
        return length < 0 ? throw new HpackException("invalid Huffman encoding") : length;
    }

    /// <summary>An HPACK integer with an N-bit prefix (RFC 7541 section 5.1).</summary>
    private static int ReadInteger(ReadOnlySpan<byte> block, ref int position, int prefixBits)
    {
        var mask = (1 << prefixBits) - 1;
        var value = block[position++] & mask;
        if (value < mask)
        {
            return value;
        }

        long result = value;
        for (var shift = 0; shift <= MaxIntegerBits; shift += 7)
        {
            if (position >= block.Length)
            {
                throw new HpackException("header block ends inside an integer");
            }

            var b = block[position++];
            result += (long)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return result <= int.MaxValue ? (int)result : throw new HpackException("integer overflow");
            }
        }

        throw new HpackException("integer too large");
    }

    private static void WriteInteger(Span<byte> destination, ref int position, int value, int prefixBits, byte pattern)
    {
        var mask = (1 << prefixBits) - 1;
        if (value < mask)
        {
            destination[position++] = (byte)(pattern | value);
            return;
        }

        destination[position++] = (byte)(pattern | mask);
        value -= mask;
        while (value >= 0x80)
        {
            destination[position++] = (byte)((value & 0x7F) | 0x80);
            value >>= 7;
        }

        destination[position++] = (byte)value;
    }

    private static byte[] Rebuild(ReadOnlySpan<byte> block, List<Rewrite> rewrites)
    {
        // Each rewritten field becomes at most: 1 byte of name index, 5 of length, the value.
        var capacity = block.Length;
        foreach (var rewrite in rewrites)
        {
            capacity += 6 + rewrite.Value.Length;
        }

        var output = new byte[capacity];
        var written = 0;
        var copied = 0;
        foreach (var rewrite in rewrites)
        {
            block[copied..rewrite.Start].CopyTo(output.AsSpan(written));
            written += rewrite.Start - copied;
            copied = rewrite.End;

            var (pattern, prefixBits) = rewrite.Representation switch
            {
                Representation.IncrementalIndexing => ((byte)0x40, 6),
                Representation.NeverIndexed => ((byte)0x10, 4),
                _ => ((byte)0x00, 4),
            };
            WriteInteger(output, ref written, HpackStaticTable.AuthorityIndex, prefixBits, pattern);
            WriteInteger(output, ref written, rewrite.Value.Length, 7, 0x00);
            rewrite.Value.CopyTo(output.AsSpan(written));
            written += rewrite.Value.Length;
        }

        block[copied..].CopyTo(output.AsSpan(written));
        written += block.Length - copied;
        return output[..written];
    }

    private readonly record struct Rewrite(int Start, int End, Representation Representation, byte[] Value);
}
