using MiniKube.Api.Meta;

namespace MiniKube.Api.Core;

/// <summary>core/v1 ServiceStatus.</summary>
public sealed class ServiceStatus
{
    public LoadBalancerStatus? LoadBalancer { get; set; }

    public List<Condition>? Conditions { get; set; }
}
