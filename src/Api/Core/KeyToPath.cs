namespace MiniKube.Api.Core;

/// <summary>core/v1 KeyToPath.</summary>
public sealed class KeyToPath
{
    public string? Key { get; set; }

    public string? Path { get; set; }

    public int? Mode { get; set; }
}
