using MiniKube.Etcd.Client.Streams;

namespace MiniKube.Etcd.Client;

/// <summary>
/// A lease being kept alive by its client. <see cref="Completion"/> faults with
/// <see cref="EtcdLeaseExpiredException"/> when the lease is lost (the server no longer knows it,
/// or no renewal got through within its TTL), and completes when the keep-alive is disposed.
/// Disposing stops the keep-alives; the lease then expires after its TTL unless revoked.
/// </summary>
public sealed class LeaseKeepAlive : IAsyncDisposable
{
    private readonly KeepAliveStream _owner;
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _ttl;
    private long _expiresAtTicks;

    internal LeaseKeepAlive(long leaseId, KeepAliveStream owner)
    {
        LeaseId = leaseId;
        _owner = owner;
    }

    public long LeaseId { get; }

    /// <summary>The TTL in seconds granted by the last renewal.</summary>
    public long Ttl => Volatile.Read(ref _ttl);

    /// <summary>When the lease expires if no further renewal gets through (by this client's clock).</summary>
    public DateTimeOffset ExpiresAt => new(Volatile.Read(ref _expiresAtTicks), TimeSpan.Zero);

    public Task Completion => _completion.Task;

    /// <summary>Completes at the first renewal; faults if the lease is already gone.</summary>
    internal TaskCompletionSource FirstRenewal { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ValueTask DisposeAsync()
    {
        _owner.Remove(this);
        OnStopped();
        return ValueTask.CompletedTask;
    }

    internal void OnRenewed(long ttl, DateTimeOffset expiresAt)
    {
        Volatile.Write(ref _ttl, ttl);
        Volatile.Write(ref _expiresAtTicks, expiresAt.UtcTicks);
        FirstRenewal.TrySetResult();
    }

    internal void OnExpired(EtcdLeaseExpiredException error)
    {
        if (FirstRenewal.TrySetException(error))
        {
            _ = FirstRenewal.Task.Exception;
        }

        _completion.TrySetException(error);
    }

    internal void OnStopped()
    {
        FirstRenewal.TrySetCanceled();
        _completion.TrySetResult();
    }
}
