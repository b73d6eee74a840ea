using System.Globalization;
using System.Text;

namespace MiniKube.Testing.Linearizability;

/// <summary>
/// What the checker found. For a violation: the partition that has none, the longest prefix of
/// it that could be linearized (in linearization order, with the state after it), and the
/// operation whose return was reached with no way to place it.
/// </summary>
public sealed record CheckResult<TInput, TOutput>(
    CheckOutcome Outcome,
    int Partitions,
    IReadOnlyList<Operation<TInput, TOutput>> LongestPrefix,
    string? StateAfterPrefix,
    Operation<TInput, TOutput>? Stuck,
    IReadOnlyList<Operation<TInput, TOutput>> FailingPartition,
    Func<TInput, TOutput?, string> Describe)
    where TOutput : class
{
    public bool IsLinearizable => Outcome == CheckOutcome.Linearizable;

    /// <summary>A report for a test failure; empty detail when linearizable.</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{Outcome} ({Partitions} partitions)");
        if (Outcome != CheckOutcome.NotLinearizable)
        {
            return text.ToString();
        }

        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"longest linearizable prefix ({LongestPrefix.Count} of {FailingPartition.Count} operations of the failing partition):");
        foreach (var op in LongestPrefix)
        {
            text.AppendLine(Line(op));
        }

        text.AppendLine(CultureInfo.InvariantCulture, $"state after it: {StateAfterPrefix}");
        if (Stuck is not null)
        {
            text.AppendLine("could not be linearized (it returned before any order placed it):");
            text.AppendLine(Line(Stuck));
        }

        var placed = LongestPrefix.ToHashSet();
        text.AppendLine("the partition's other operations:");
        foreach (var op in FailingPartition.Where(o => !placed.Contains(o) && !ReferenceEquals(o, Stuck)).OrderBy(o => o.Call))
        {
            text.AppendLine(Line(op));
        }

        return text.ToString();
    }

    private string Line(Operation<TInput, TOutput> op) =>
        string.Create(CultureInfo.InvariantCulture, $"  client {op.ClientId} [{op.Call}, {(op.IsUnknown ? "∞" : op.Return.ToString(CultureInfo.InvariantCulture))}] {Describe(op.Input, op.Output)}");
}
