using MiniKube.Grpc;

namespace MiniKube.Etcd.Client;

/// <summary>
/// The revision asked for is older than the last compaction: a read at an old revision, or a
/// watch starting (or resuming) before it. A watch names the compaction revision, from which a
/// caller can re-list and watch again; a read does not (<see cref="CompactRevision"/> is 0).
/// </summary>
public sealed class EtcdCompactedException : EtcdException
{
    public EtcdCompactedException(long compactRevision, Exception? innerException = null)
        : base(StatusCode.OutOfRange, EtcdErrors.Compacted, innerException: innerException)
    {
        CompactRevision = compactRevision;
    }

    /// <summary>The store's compaction revision when known (from a watch), else 0.</summary>
    public long CompactRevision { get; }

    public override string Message => CompactRevision == 0 ? base.Message : $"{base.Message} (compacted revision {CompactRevision})";
}
