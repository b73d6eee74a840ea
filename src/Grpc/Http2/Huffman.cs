namespace MiniKube.Grpc.Http2;

/// <summary>
/// HPACK's Huffman code (RFC 7541 Appendix B). The code is canonical, so the symbols grouped by
/// code length, in ascending order, determine every code; decoding walks the bits and compares
/// against the first code of each length.
/// </summary>
internal static class Huffman
{
    public const int EndOfString = 256;
    private const int MaxCodeLength = 30;

    // RFC 7541 Appendix B, as (code length, symbols with that length in ascending order).
    private static readonly (int Length, int[] Symbols)[] s_groups =
    [
        (5, [48, 49, 50, 97, 99, 101, 105, 111, 115, 116]),
        (6, [32, 37, 45, 46, 47, 51, 52, 53, 54, 55, 56, 57, 61, 65, 95, 98, 100, 102, 103, 104, 108, 109, 110, 112, 114, 117]),
        (7, [58, 66, 67, 68, 69, 70, 71, 72, 73, 74, 75, 76, 77, 78, 79, 80, 81, 82, 83, 84, 85, 86, 87, 89, 106, 107, 113, 118, 119, 120, 121, 122]),
        (8, [38, 42, 44, 59, 88, 90]),
        (10, [33, 34, 40, 41, 63]),
        (11, [39, 43, 124]),
        (12, [35, 62]),
        (13, [0, 36, 64, 91, 93, 126]),
        (14, [94, 125]),
        (15, [60, 96, 123]),
        (19, [92, 195, 208]),
        (20, [128, 130, 131, 162, 184, 194, 224, 226]),
        (21, [153, 161, 167, 172, 176, 177, 179, 209, 216, 217, 227, 229, 230]),
        (22, [129, 132, 133, 134, 136, 146, 154, 156, 160, 163, 164, 169, 170, 173, 178, 181, 185, 186, 187, 189, 190, 196, 198, 228, 232, 233]),
        (23, [1, 135, 137, 138, 139, 140, 141, 143, 147, 149, 150, 151, 152, 155, 157, 158, 165, 166, 168, 174, 175, 180, 182, 183, 188, 191, 197, 231, 239]),
        (24, [9, 142, 144, 145, 148, 159, 171, 206, 215, 225, 236, 237]),
        (25, [199, 207, 234, 235]),
        (26, [192, 193, 200, 201, 202, 205, 210, 213, 218, 219, 238, 240, 242, 243, 255]),
        (27, [203, 204, 211, 212, 214, 221, 222, 223, 241, 244, 245, 246, 247, 248, 250, 251, 252, 253, 254]),
        (28, [2, 3, 4, 5, 6, 7, 8, 11, 12, 14, 15, 16, 17, 18, 19, 20, 21, 23, 24, 25, 26, 27, 28, 29, 30, 31, 127, 220, 249]),
        (30, [10, 13, 22, 256]),
    ];

    // Per code length: the first code of that length, how many codes have it, and where its symbols start in s_symbols.
    private static readonly int[] s_firstCode = new int[MaxCodeLength + 1];
    private static readonly int[] s_count = new int[MaxCodeLength + 1];
    private static readonly int[] s_symbolOffset = new int[MaxCodeLength + 1];
    private static readonly int[] s_symbols = new int[257];
    private static readonly (uint Code, int Length)[] s_codes = new (uint, int)[257];

    static Huffman()
    {
        var code = 0;
        var previousLength = 0;
        var index = 0;
        foreach (var (length, symbols) in s_groups)
        {
            code <<= length - previousLength;
            previousLength = length;
            s_firstCode[length] = code;
            s_count[length] = symbols.Length;
            s_symbolOffset[length] = index;
            foreach (var symbol in symbols)
            {
                s_symbols[index++] = symbol;
                s_codes[symbol] = ((uint)code, length);
                code++;
            }
        }
    }

    /// <summary>The code of a symbol (0-255, or 256 for EOS), right-aligned, and its length in bits.</summary>
    public static (uint Code, int Length) CodeOf(int symbol) => s_codes[symbol];

    /// <summary>
    /// Decodes <paramref name="source"/> into <paramref name="destination"/> (which must hold
    /// <c>source.Length * 8 / 5</c> bytes), or only counts the symbols when <paramref name="write"/>
    /// is false. Returns the decoded length, or -1 for an invalid encoding: EOS inside the string,
    /// or padding longer than 7 bits or not all ones (RFC 7541 section 5.2).
    /// </summary>
    public static int Decode(ReadOnlySpan<byte> source, Span<byte> destination, bool write = true)
    {
        var written = 0;
        var code = 0;
        var length = 0;
        foreach (var b in source)
        {
            for (var bit = 7; bit >= 0; bit--)
            {
                code = (code << 1) | ((b >> bit) & 1);
                length++;
                // A canonical code's unmatched prefix is never below the first code of its length.
                var index = code - s_firstCode[length];
                if (index < s_count[length])
                {
                    var symbol = s_symbols[s_symbolOffset[length] + index];
                    if (symbol == EndOfString)
                    {
                        return -1;
                    }

                    if (write)
                    {
                        destination[written] = (byte)symbol;
                    }

                    written++;
                    code = 0;
                    length = 0;
                }
                else if (length == MaxCodeLength)
                {
                    return -1;
                }
            }
        }

        return length <= 7 && code == (1 << length) - 1 ? written : -1;
    }
}
