using MiniKube.Grpc;

namespace MiniKube.Etcd.Client.Transport;

/// <summary>One member's client URL and its channel, connected on first use.</summary>
internal sealed class Endpoint(Uri address, GrpcChannelOptions channelOptions) : IDisposable
{
    private readonly Lazy<GrpcChannel> _channel = new(() => GrpcChannel.ForAddress(address, channelOptions), LazyThreadSafetyMode.ExecutionAndPublication);

    public Uri Address { get; } = address;

    /// <summary>The one HTTP/2 connection every call to this member is multiplexed on.</summary>
    public GrpcChannel Channel => _channel.Value;

    /// <summary>When a call to it last failed for want of a connection; null while it works. Guarded by the pool's lock.</summary>
    public DateTimeOffset? FailedAt { get; set; }

    public override string ToString() => EtcdException.Format(Address);

    public void Dispose()
    {
        if (_channel.IsValueCreated)
        {
            _channel.Value.Dispose();
        }
    }
}
