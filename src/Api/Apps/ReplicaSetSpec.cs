using MiniKube.Api.Core;
using MiniKube.Api.Meta;

namespace MiniKube.Api.Apps;

/// <summary>apps/v1 ReplicaSetSpec.</summary>
public sealed class ReplicaSetSpec
{
    public int? Replicas { get; set; }

    public int? MinReadySeconds { get; set; }

    public LabelSelector? Selector { get; set; }

    public PodTemplateSpec? Template { get; set; }
}
