using Google.Protobuf;

namespace MiniKube.Etcd.Client;

/// <summary>What a watch covers and from when (clientv3's OpOptions for Watch).</summary>
public sealed record WatchOptions
{
    /// <summary>Watch [key, RangeEnd). Exclusive with <see cref="Prefix"/> and <see cref="FromKey"/>.</summary>
    public ByteString? RangeEnd { get; init; }

    /// <summary>Watch every key starting with the key.</summary>
    public bool Prefix { get; init; }

    /// <summary>Watch every key greater than or equal to the key.</summary>
    public bool FromKey { get; init; }

    /// <summary>The first revision to deliver (history is replayed from it); 0 for "from now".</summary>
    public long Revision { get; init; }

    /// <summary>Deliver each event with the key-value pair as it was before it.</summary>
    public bool PrevKv { get; init; }

    /// <summary>Ask the server for periodic progress notifications while no events arrive.</summary>
    public bool ProgressNotify { get; init; }

    /// <summary>Leave out put events.</summary>
    public bool NoPut { get; init; }

    /// <summary>Leave out delete events.</summary>
    public bool NoDelete { get; init; }
}
