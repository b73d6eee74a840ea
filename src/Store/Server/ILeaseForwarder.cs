using Etcdserverpb;

namespace MiniKube.Store.Server;

/// <summary>
/// Carries a follower's lease renewals and TTL lookups to the leader, whose lessor alone keeps
/// the real expiry times (etcd's leasehttp, over the peer URLs).
/// </summary>
public interface ILeaseForwarder
{
    /// <summary>Renews <paramref name="id"/> on <paramref name="leader"/>; returns its TTL; throws a LeaseException NotFound for an unknown lease.</summary>
    Task<long> RenewAsync(ulong leader, long id, CancellationToken cancellationToken);

    /// <summary>Asks <paramref name="leader"/> for the lease's remaining time.</summary>
    Task<LeaseTimeToLiveResponse> TimeToLiveAsync(ulong leader, LeaseTimeToLiveRequest request, CancellationToken cancellationToken);
}
