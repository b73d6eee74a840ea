using System.Buffers.Binary;

namespace MiniKube.Store.Mvcc;

/// <summary>
/// The on-disk layout of the MVCC data. Everything the store knows is in these tables; nothing
/// is rebuilt from elsewhere except the lease-to-keys attachments, recovered by one scan at start.
/// </summary>
/// <remarks>
/// <para><b>Keys table</b> — one entry per version of a key:
/// <c>escape(userKey) 0x00 0x01 BE64(~modRevision)</c> → <see cref="VersionRecord"/>.
/// <c>escape</c> doubles as an order-preserving encoding: every 0x00 byte of the user key is
/// written as 0x00 0xFF, and 0x00 0x01 ends the key, so encoded keys sort exactly as the user keys
/// do (a key before its extensions, 0x00 bytes included) and a user key's versions are contiguous.
/// The revision is stored inverted so the newest version of a key comes first: reading a key at
/// revision R is one seek to <c>escape(key) 0x00 0x01 BE64(~R)</c>.</para>
/// <para><b>History table</b> — one entry per event, in revision order:
/// <c>BE64(main) BE32(sub)</c> → <c>type(1 byte: 0 put, 1 delete) userKey</c>. Watches replay
/// history from here; a put's value is read from the keys table by its exact version key.</para>
/// <para>Compaction at revision C removes, for every key, the versions older than its newest
/// version at or below C (and that version too when it is a deletion), and the history entries
/// below C. Reads at revisions ≥ C therefore see exactly what they saw before.</para>
/// </remarks>
public static class KeyEncoding
{
    private const byte Escape = 0x00;
    private const byte EscapedZero = 0xFF;
    private const byte Terminator = 0x01;

    /// <summary>Length of the version suffix after the terminator.</summary>
    public const int RevisionSuffixLength = 8;

    /// <summary>Length of a history key: main and sub revision.</summary>
    public const int HistoryKeyLength = 12;

    public static int EscapedLength(ReadOnlySpan<byte> userKey) => userKey.Length + userKey.Count(Escape);

    /// <summary>
    /// <c>escape(userKey)</c>: the smallest encoding of any version of <paramref name="userKey"/> or
    /// of a greater key, so it is both the lower bound of a range starting at the key and the
    /// (exclusive) upper bound of a range ending before it.
    /// </summary>
    public static byte[] RangeBound(ReadOnlySpan<byte> userKey)
    {
        var buffer = new byte[EscapedLength(userKey)];
        WriteEscaped(userKey, buffer);
        return buffer;
    }

    /// <summary>The prefix shared by every version of <paramref name="userKey"/>: escape(key) 0x00 0x01.</summary>
    public static byte[] VersionsPrefix(ReadOnlySpan<byte> userKey)
    {
        var buffer = new byte[EscapedLength(userKey) + 2];
        var n = WriteEscaped(userKey, buffer);
        buffer[n] = Escape;
        buffer[n + 1] = Terminator;
        return buffer;
    }

    /// <summary>The first encoding after every version of <paramref name="userKey"/>: escape(key) 0x00 0x02.</summary>
    public static byte[] AfterVersions(ReadOnlySpan<byte> userKey)
    {
        var buffer = VersionsPrefix(userKey);
        buffer[^1] = Terminator + 1;
        return buffer;
    }

    /// <summary>The keys-table key of one version.</summary>
    public static byte[] VersionKey(ReadOnlySpan<byte> userKey, long modRevision)
    {
        var buffer = new byte[EscapedLength(userKey) + 2 + RevisionSuffixLength];
        WriteVersionKey(userKey, modRevision, buffer);
        return buffer;
    }

    public static int WriteVersionKey(ReadOnlySpan<byte> userKey, long modRevision, Span<byte> destination)
    {
        var n = WriteEscaped(userKey, destination);
        destination[n++] = Escape;
        destination[n++] = Terminator;
        BinaryPrimitives.WriteInt64BigEndian(destination[n..], ~modRevision);
        return n + RevisionSuffixLength;
    }

    /// <summary>The part of a version key that identifies its user key (escaped, with terminator).</summary>
    public static ReadOnlySpan<byte> VersionGroup(ReadOnlySpan<byte> versionKey) => versionKey[..^RevisionSuffixLength];

    public static long ModRevisionOf(ReadOnlySpan<byte> versionKey) =>
        ~BinaryPrimitives.ReadInt64BigEndian(versionKey[^RevisionSuffixLength..]);

    /// <summary>Decodes the user key of a version key.</summary>
    public static byte[] UserKeyOf(ReadOnlySpan<byte> versionKey)
    {
        var escaped = versionKey[..^(RevisionSuffixLength + 2)];
        var zeros = escaped.Count(Escape);
        if (zeros == 0)
        {
            return escaped.ToArray();
        }

        var key = new byte[escaped.Length - zeros];
        var w = 0;
        for (var r = 0; r < escaped.Length; r++)
        {
            key[w++] = escaped[r];
            if (escaped[r] == Escape)
            {
                r++; // skip the 0xFF that follows an escaped zero
            }
        }

        return key;
    }

    public static byte[] HistoryKey(Revision revision)
    {
        var buffer = new byte[HistoryKeyLength];
        BinaryPrimitives.WriteInt64BigEndian(buffer, revision.Main);
        BinaryPrimitives.WriteInt32BigEndian(buffer.AsSpan(8), revision.Sub);
        return buffer;
    }

    public static Revision RevisionOfHistoryKey(ReadOnlySpan<byte> historyKey) =>
        new(BinaryPrimitives.ReadInt64BigEndian(historyKey), BinaryPrimitives.ReadInt32BigEndian(historyKey[8..]));

    /// <summary>The smallest history key of revision <paramref name="main"/>.</summary>
    public static byte[] HistoryStart(long main) => HistoryKey(new Revision(main, 0));

    private static int WriteEscaped(ReadOnlySpan<byte> userKey, Span<byte> destination)
    {
        var w = 0;
        foreach (var b in userKey)
        {
            destination[w++] = b;
            if (b == Escape)
            {
                destination[w++] = EscapedZero;
            }
        }

        return w;
    }
}
