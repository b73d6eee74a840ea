namespace MiniKube.Api.Core;

/// <summary>core/v1 ContainerImage.</summary>
public sealed class ContainerImage
{
    public List<string>? Names { get; set; }

    public long? SizeBytes { get; set; }
}
