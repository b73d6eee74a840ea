namespace MiniKube.Api.Core;

/// <summary>core/v1 LoadBalancerStatus.</summary>
public sealed class LoadBalancerStatus
{
    public List<LoadBalancerIngress>? Ingress { get; set; }
}
