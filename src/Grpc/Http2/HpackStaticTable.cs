namespace MiniKube.Grpc.Http2;

/// <summary>HPACK's static table (RFC 7541 Appendix A): only the names matter for resolving indices.</summary>
internal static class HpackStaticTable
{
    public const int Count = 61;
    public const int AuthorityIndex = 1;

    private static readonly string[] s_names =
    [
        ":authority", ":method", ":method", ":path", ":path", ":scheme", ":scheme", ":status", ":status", ":status",
        ":status", ":status", ":status", ":status", "accept-charset", "accept-encoding", "accept-language", "accept-ranges", "accept", "access-control-allow-origin",
        "age", "allow", "authorization", "cache-control", "content-disposition", "content-encoding", "content-language", "content-length", "content-location", "content-range",
        "content-type", "cookie", "date", "etag", "expect", "expires", "from", "host", "if-match", "if-modified-since",
        "if-none-match", "if-range", "if-unmodified-since", "last-modified", "link", "location", "max-forwards", "proxy-authenticate", "proxy-authorization", "range",
        "referer", "refresh", "retry-after", "server", "set-cookie", "strict-transport-security", "transfer-encoding", "user-agent", "vary", "via",
        "www-authenticate",
    ];

    /// <summary>The length of the name at a 1-based static index.</summary>
    public static int NameLength(int index) => s_names[index - 1].Length;
}
