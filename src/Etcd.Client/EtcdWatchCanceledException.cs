using MiniKube.Grpc;

namespace MiniKube.Etcd.Client;

/// <summary>The server canceled a watch for a reason other than compaction (its cancel_reason).</summary>
public sealed class EtcdWatchCanceledException(string reason)
    : EtcdException(StatusCode.Cancelled, string.IsNullOrEmpty(reason) ? "etcdclient: watch canceled by the server" : reason)
{
}
