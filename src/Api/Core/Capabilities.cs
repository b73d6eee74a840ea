namespace MiniKube.Api.Core;

/// <summary>core/v1 Capabilities.</summary>
public sealed class Capabilities
{
    public List<string>? Add { get; set; }

    public List<string>? Drop { get; set; }
}
