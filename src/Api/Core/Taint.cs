namespace MiniKube.Api.Core;

/// <summary>core/v1 Taint; Effect is NoSchedule, PreferNoSchedule or NoExecute.</summary>
public sealed class Taint
{
    public string? Key { get; set; }

    public string? Value { get; set; }

    public string? Effect { get; set; }

    public DateTimeOffset? TimeAdded { get; set; }
}
