using MiniKube.Api.Meta;

namespace MiniKube.Api.Core;

/// <summary>core/v1 TopologySpreadConstraint; WhenUnsatisfiable is DoNotSchedule or ScheduleAnyway.</summary>
public sealed class TopologySpreadConstraint
{
    public int? MaxSkew { get; set; }

    public string? TopologyKey { get; set; }

    public string? WhenUnsatisfiable { get; set; }

    public LabelSelector? LabelSelector { get; set; }

    public int? MinDomains { get; set; }

    public string? NodeAffinityPolicy { get; set; }

    public string? NodeTaintsPolicy { get; set; }

    public List<string>? MatchLabelKeys { get; set; }
}
