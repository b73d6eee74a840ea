using Google.Protobuf;

namespace MiniKube.Etcd.Client;

/// <summary>Which keys to delete besides the key itself, and whether to return them.</summary>
public sealed record DeleteOptions
{
    /// <summary>Delete [key, RangeEnd). Exclusive with <see cref="Prefix"/> and <see cref="FromKey"/>.</summary>
    public ByteString? RangeEnd { get; init; }

    /// <summary>Delete every key starting with the key.</summary>
    public bool Prefix { get; init; }

    /// <summary>Delete every key greater than or equal to the key.</summary>
    public bool FromKey { get; init; }

    /// <summary>Return the deleted key-value pairs.</summary>
    public bool PrevKv { get; init; }

    /// <summary>This call's deadline, instead of the client's DefaultRequestTimeout.</summary>
    public TimeSpan? Timeout { get; init; }
}
