using System.Text;
using MiniKube.Grpc.Http2;

namespace MiniKube.Grpc.Tests.Infrastructure;

/// <summary>Builds HPACK header blocks representation by representation (RFC 7541 section 6).</summary>
internal sealed class HpackBlock
{
    private readonly List<byte> _bytes = [];

    public HpackBlock Indexed(int index) => Integer(index, 7, 0x80);

    public HpackBlock Incremental(int nameIndex, string value, bool huffman = false) => Integer(nameIndex, 6, 0x40).String(value, huffman);

    public HpackBlock Incremental(string name, string value, bool huffman = false) => Integer(0, 6, 0x40).String(name, huffman).String(value, huffman);

    public HpackBlock WithoutIndexing(int nameIndex, string value, bool huffman = false) => Integer(nameIndex, 4, 0x00).String(value, huffman);

    public HpackBlock WithoutIndexing(string name, string value, bool huffman = false) => Integer(0, 4, 0x00).String(name, huffman).String(value, huffman);

    public HpackBlock NeverIndexed(int nameIndex, string value, bool huffman = false) => Integer(nameIndex, 4, 0x10).String(value, huffman);

    public HpackBlock SizeUpdate(int size) => Integer(size, 5, 0x20);

    /// <summary>A literal of the given kind: "incremental", "without" or "never".</summary>
    public HpackBlock Literal(string kind, int nameIndex, string value, bool huffman) => kind switch
    {
        "incremental" => Incremental(nameIndex, value, huffman),
        "without" => WithoutIndexing(nameIndex, value, huffman),
        "never" => NeverIndexed(nameIndex, value, huffman),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    public byte[] ToArray() => [.. _bytes];

    public static byte[] HuffmanEncode(ReadOnlySpan<byte> data)
    {
        var output = new List<byte>();
        ulong pending = 0;
        var bits = 0;
        foreach (var b in data)
        {
            var (code, length) = Huffman.CodeOf(b);
            pending = (pending << length) | code;
            bits += length;
            while (bits >= 8)
            {
                bits -= 8;
                output.Add((byte)(pending >> bits));
            }
        }

        if (bits > 0)
        {
            // Padding: the most significant bits of EOS, all ones.
            output.Add((byte)((pending << (8 - bits)) | (0xFFu >> bits)));
        }

        return [.. output];
    }

    private HpackBlock String(string value, bool huffman)
    {
        var raw = Encoding.ASCII.GetBytes(value);
        var bytes = huffman ? HuffmanEncode(raw) : raw;
        Integer(bytes.Length, 7, huffman ? (byte)0x80 : (byte)0x00);
        _bytes.AddRange(bytes);
        return this;
    }

    private HpackBlock Integer(int value, int prefixBits, byte pattern)
    {
        var max = (1 << prefixBits) - 1;
        if (value < max)
        {
            _bytes.Add((byte)(pattern | value));
            return this;
        }

        _bytes.Add((byte)(pattern | max));
        value -= max;
        while (value >= 0x80)
        {
            _bytes.Add((byte)((value & 0x7F) | 0x80));
            value >>= 7;
        }

        _bytes.Add((byte)value);
        return this;
    }
}
