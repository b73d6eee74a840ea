namespace MiniKube.Scheduler.Framework;

/// <summary>One scheduling attempt's outcome: the chosen node, or why none fits.</summary>
public readonly record struct ScheduleResult(string? SuggestedHost, int EvaluatedNodes, int FeasibleNodes, FitError? Error)
{
    public bool Succeeded => SuggestedHost is not null;
}
