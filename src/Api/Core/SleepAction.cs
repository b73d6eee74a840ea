namespace MiniKube.Api.Core;

/// <summary>core/v1 SleepAction.</summary>
public sealed class SleepAction
{
    public long? Seconds { get; set; }
}
