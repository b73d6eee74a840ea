using MiniKube.Grpc;

namespace MiniKube.Etcd.Client;

/// <summary>
/// A kept-alive lease is gone: the server no longer knows it (revoked or expired), or no renewal
/// succeeded before its TTL ran out, so it must be assumed expired along with its keys.
/// </summary>
public sealed class EtcdLeaseExpiredException(long leaseId, string detail)
    : EtcdException(StatusCode.NotFound, detail)
{
    public long LeaseId { get; } = leaseId;
}
