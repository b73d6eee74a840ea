namespace MiniKube.Api.Core;

/// <summary>core/v1 Probe.</summary>
public sealed class Probe
{
    public ExecAction? Exec { get; set; }

    public HTTPGetAction? HttpGet { get; set; }

    public TCPSocketAction? TcpSocket { get; set; }

    public GRPCAction? Grpc { get; set; }

    public int? InitialDelaySeconds { get; set; }

    public int? TimeoutSeconds { get; set; }

    public int? PeriodSeconds { get; set; }

    public int? SuccessThreshold { get; set; }

    public int? FailureThreshold { get; set; }

    public long? TerminationGracePeriodSeconds { get; set; }
}
