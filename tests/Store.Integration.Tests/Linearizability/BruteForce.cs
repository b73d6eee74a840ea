using MiniKube.Testing.Linearizability;

namespace MiniKube.Store.Integration.Tests.Linearizability;

/// <summary>
/// The definition of linearizability, searched exhaustively: some order of all operations that
/// keeps every real-time precedence (a returned before b was called) is legal for the model.
/// Exponential; for histories of a few operations, as the reference the checker is compared with.
/// </summary>
public static class BruteForce
{
    public static bool IsLinearizable<TState, TInput, TOutput>(IModel<TState, TInput, TOutput> model, IReadOnlyList<Operation<TInput, TOutput>> history)
        where TOutput : class =>
        model.Partition(history).All(part => Search(model, part, new bool[part.Count], model.Init(), 0));

    private static bool Search<TState, TInput, TOutput>(IModel<TState, TInput, TOutput> model, IReadOnlyList<Operation<TInput, TOutput>> ops, bool[] done, TState state, int placed)
        where TOutput : class
    {
        if (placed == ops.Count)
        {
            return true;
        }

        for (var i = 0; i < ops.Count; i++)
        {
            if (done[i] || Enumerable.Range(0, ops.Count).Any(j => !done[j] && j != i && ops[j].Return < ops[i].Call))
            {
                continue;
            }

            var (ok, next) = model.Step(state, ops[i].Input, ops[i].Output);
            if (!ok)
            {
                continue;
            }

            done[i] = true;
            var found = Search(model, ops, done, next, placed + 1);
            done[i] = false;
            if (found)
            {
                return true;
            }
        }

        return false;
    }
}
