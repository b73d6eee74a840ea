namespace MiniKube.Testing.Linearizability;

/// <summary>
/// One client operation in a concurrent history: what was asked, what came back, and when the
/// call was made and answered (any monotonic clock; ticks of <see cref="System.Diagnostics.Stopwatch"/>
/// in recorded histories).
/// </summary>
/// <remarks>
/// An operation whose outcome is unknown (it timed out, its connection broke) has
/// <see cref="Return"/> = <see cref="long.MaxValue"/> and a null <see cref="Output"/>, as
/// Jepsen's :info operations: it may have taken effect at any point after its call, or never,
/// and models accept any output for it.
/// </remarks>
public sealed record Operation<TInput, TOutput>(int ClientId, TInput Input, TOutput? Output, long Call, long Return)
    where TOutput : class
{
    public const long Never = long.MaxValue;

    public bool IsUnknown => Return == Never;
}

/// <summary>Factories that infer the type arguments.</summary>
public static class Operation
{
    public static Operation<TInput, TOutput> Known<TInput, TOutput>(int clientId, TInput input, TOutput output, long call, long @return)
        where TOutput : class => new(clientId, input, output, call, @return);

    /// <summary>An operation whose outcome is unknown: it may or may not have taken effect.</summary>
    public static Operation<TInput, TOutput> Unknown<TInput, TOutput>(int clientId, TInput input, long call)
        where TOutput : class => new(clientId, input, null, call, Operation<TInput, TOutput>.Never);
}
