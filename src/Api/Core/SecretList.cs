using MiniKube.Api.Meta;

namespace MiniKube.Api.Core;

/// <summary>core/v1 SecretList.</summary>
public sealed class SecretList : IKubernetesList<Secret>
{
    public string? ApiVersion { get; set; }

    public string? Kind { get; set; }

    public ListMeta? Metadata { get; set; }

    public List<Secret> Items { get; set; } = [];
}
