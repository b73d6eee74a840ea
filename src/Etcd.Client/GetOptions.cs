using Google.Protobuf;

namespace MiniKube.Etcd.Client;

/// <summary>
/// How to read: which keys (the key alone, a range, a prefix, or every key from it), at which
/// revision, how many, in which order, and what to return (clientv3's OpOptions for Get).
/// </summary>
public sealed record GetOptions
{
    /// <summary>Read [key, RangeEnd) instead of the key alone. Exclusive with <see cref="Prefix"/> and <see cref="FromKey"/>.</summary>
    public ByteString? RangeEnd { get; init; }

    /// <summary>Read every key starting with the key (every key at all when it is empty).</summary>
    public bool Prefix { get; init; }

    /// <summary>Read every key greater than or equal to the key.</summary>
    public bool FromKey { get; init; }

    /// <summary>Read the store as it was at this revision; 0 for the latest.</summary>
    public long Revision { get; init; }

    /// <summary>Return at most this many keys (the response says whether there are <c>More</c>); 0 for no limit.</summary>
    public long Limit { get; init; }

    public SortTarget SortBy { get; init; }

    public SortOrder Order { get; init; }

    public bool KeysOnly { get; init; }

    public bool CountOnly { get; init; }

    /// <summary>Answer from the member's local state without a quorum read (may be stale on a follower).</summary>
    public bool Serializable { get; init; }

    public long MinModRevision { get; init; }

    public long MaxModRevision { get; init; }

    public long MinCreateRevision { get; init; }

    public long MaxCreateRevision { get; init; }

    /// <summary>This call's deadline, instead of the client's DefaultRequestTimeout.</summary>
    public TimeSpan? Timeout { get; init; }
}
