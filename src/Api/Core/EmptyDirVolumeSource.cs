using MiniKube.Api.Quantities;

namespace MiniKube.Api.Core;

/// <summary>core/v1 EmptyDirVolumeSource; Medium is "" or Memory.</summary>
public sealed class EmptyDirVolumeSource
{
    public string? Medium { get; set; }

    public Quantity? SizeLimit { get; set; }
}
