using MiniKube.Api.Meta;

namespace MiniKube.Api.Apps;

/// <summary>apps/v1 ReplicaSetList.</summary>
public sealed class ReplicaSetList : IKubernetesList<ReplicaSet>
{
    public string? ApiVersion { get; set; }

    public string? Kind { get; set; }

    public ListMeta? Metadata { get; set; }

    public List<ReplicaSet> Items { get; set; } = [];
}
