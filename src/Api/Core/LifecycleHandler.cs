namespace MiniKube.Api.Core;

/// <summary>core/v1 LifecycleHandler.</summary>
public sealed class LifecycleHandler
{
    public ExecAction? Exec { get; set; }

    public HTTPGetAction? HttpGet { get; set; }

    public TCPSocketAction? TcpSocket { get; set; }

    public SleepAction? Sleep { get; set; }
}
