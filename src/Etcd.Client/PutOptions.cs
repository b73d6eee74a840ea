namespace MiniKube.Etcd.Client;

/// <summary>Options of a put (clientv3's OpOptions for Put).</summary>
public sealed record PutOptions
{
    /// <summary>The lease to attach the key to; 0 for none (which detaches it).</summary>
    public long Lease { get; init; }

    /// <summary>Return the key-value pair as it was before the put.</summary>
    public bool PrevKv { get; init; }

    /// <summary>Keep the current value (the value given must be empty); fails if the key does not exist.</summary>
    public bool IgnoreValue { get; init; }

    /// <summary>Keep the current lease (<see cref="Lease"/> must be 0); fails if the key does not exist.</summary>
    public bool IgnoreLease { get; init; }

    /// <summary>This call's deadline, instead of the client's DefaultRequestTimeout.</summary>
    public TimeSpan? Timeout { get; init; }
}
