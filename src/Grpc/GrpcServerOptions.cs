namespace MiniKube.Grpc;

/// <summary>Limits applied by the server to every call.</summary>
public sealed class GrpcServerOptions
{
    /// <summary>Largest request message accepted (grpc-go's default: 4 MiB); larger ones end the call with ResourceExhausted.</summary>
    public int MaxReceiveMessageSize { get; set; } = 4 * 1024 * 1024;

    /// <summary>Largest response message sent; larger ones end the call with ResourceExhausted.</summary>
    public int MaxSendMessageSize { get; set; } = int.MaxValue;

    /// <summary>Told when each call to a registered method starts and how it ends; none by default.</summary>
    public IGrpcCallObserver? Observer { get; set; }
}
