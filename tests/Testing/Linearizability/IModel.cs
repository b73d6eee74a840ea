namespace MiniKube.Testing.Linearizability;

/// <summary>
/// A sequential specification that histories are checked against (Porcupine's Model): a state
/// machine whose <see cref="Step"/> says whether an operation with a given output is legal in a
/// state, and the state after it. States are values: <see cref="Step"/> must not change the
/// state it is given.
/// </summary>
public interface IModel<TState, TInput, TOutput>
    where TOutput : class
{
    TState Init();

    /// <summary>
    /// Whether <paramref name="input"/> answered with <paramref name="output"/> is legal in
    /// <paramref name="state"/>, and the state after it. A null output is an unknown outcome:
    /// legal whatever the state, and the operation takes effect if it can (not taking effect is
    /// covered by the checker, which may order it after everything else).
    /// </summary>
    (bool Ok, TState State) Step(TState state, TInput input, TOutput? output);

    /// <summary>
    /// Splits a history into independent parts checked one by one (P-compositionality, e.g. one
    /// part per key); the history is linearizable only if every part is. The default is one part.
    /// </summary>
    IReadOnlyList<IReadOnlyList<Operation<TInput, TOutput>>> Partition(IReadOnlyList<Operation<TInput, TOutput>> history) => [history];

    bool Equal(TState left, TState right);

    int Hash(TState state);

    string DescribeOperation(TInput input, TOutput? output);

    string DescribeState(TState state);
}
