using MiniKube.Testing.Linearizability;

namespace MiniKube.Store.Integration.Tests.Linearizability;

/// <summary>
/// Linearizable histories by construction: operations run one after another against a
/// sequential reference, each at its own linearization point, and each is then given a call
/// time before and a return time after that point, at random, so that neighbours overlap.
/// </summary>
public static class HistoryGenerator
{
    private const int Spacing = 10;

    public static List<Operation<RegisterInput, RegisterOutput>> Register(Random random, int count, int values, int overlap, double unknownFraction)
    {
        var state = 0;
        var history = new List<Operation<RegisterInput, RegisterOutput>>(count);
        for (var i = 0; i < count; i++)
        {
            var (call, ret) = Window(random, i, overlap);
            var client = random.Next(8);
            var value = 1 + random.Next(values);
            var input = random.Next(3) switch
            {
                0 => RegisterInput.Read(),
                1 => RegisterInput.Write(value),
                _ => RegisterInput.Cas(random.Next(2) == 0 ? state : random.Next(values + 1), value),
            };
            if (input.Op != RegisterOp.Read && random.NextDouble() < unknownFraction)
            {
                // Half of the unknown operations took effect, half never did.
                var (_, after) = RegisterModel.Instance.Step(state, input, null);
                state = random.Next(2) == 0 ? after : state;
                history.Add(Operation.Unknown<RegisterInput, RegisterOutput>(client, input, call));
                continue;
            }

            var output = input.Op switch
            {
                RegisterOp.Read => new RegisterOutput(state),
                RegisterOp.Write => RegisterOutput.Written,
                _ => new RegisterOutput(Succeeded: state == input.Expected),
            };
            (_, state) = RegisterModel.Instance.Step(state, input, output);
            history.Add(Operation.Known(client, input, output, call, ret));
        }

        return history;
    }

    /// <summary>Keys with etcd's revisions: one counter for all keys, bumped by every change.</summary>
    public static List<Operation<KvInput, KvOutput>> Kv(Random random, int count, int keys, int overlap, double unknownFraction)
    {
        var revision = 1L;
        var store = new Dictionary<string, (string Value, long ModRevision)>();
        var history = new List<Operation<KvInput, KvOutput>>(count);
        for (var i = 0; i < count; i++)
        {
            var (call, ret) = Window(random, i, overlap);
            var key = $"k{random.Next(keys)}";
            var exists = store.TryGetValue(key, out var current);
            var value = $"v{i}";
            var input = random.Next(5) switch
            {
                0 or 1 => KvInput.Get(key),
                2 => KvInput.Put(key, value),
                3 => random.Next(4) == 0 ? KvInput.Delete(key) : KvInput.CasValue(key, random.Next(2) == 0 && exists ? current.Value : "other", value),
                _ => KvInput.CasRevision(key, random.Next(2) == 0 ? current.ModRevision : random.Next((int)revision + 1), value),
            };
            var applies = input.Op switch
            {
                KvOp.Get => false,
                KvOp.Put => true,
                KvOp.Delete => exists,
                KvOp.CasValue => exists && current.Value == input.ExpectedValue,
                _ => (exists ? current.ModRevision : 0) == input.ExpectedRevision,
            };
            var unknown = input.Op != KvOp.Get && random.NextDouble() < unknownFraction;
            if (applies && (!unknown || random.Next(2) == 0))
            {
                revision++;
                if (input.Op == KvOp.Delete)
                {
                    store.Remove(key);
                }
                else
                {
                    store[key] = (value, revision);
                }
            }

            if (unknown)
            {
                history.Add(Operation.Unknown<KvInput, KvOutput>(random.Next(8), input, call));
                continue;
            }

            var output = input.Op switch
            {
                KvOp.Get => exists ? KvOutput.Got(current.Value, current.ModRevision) : KvOutput.Got(null, 0),
                KvOp.Put => KvOutput.Put(revision),
                KvOp.Delete => KvOutput.Delete(applies ? 1 : 0, revision),
                _ => KvOutput.Cas(applies, revision),
            };
            history.Add(Operation.Known(random.Next(8), input, output, call, ret));
        }

        return history;
    }

    private static (long Call, long Return) Window(Random random, int index, int overlap)
    {
        var point = (long)(index + 1) * Spacing;
        return (point - random.Next(1, overlap + 1), point + random.Next(1, overlap + 1));
    }
}
