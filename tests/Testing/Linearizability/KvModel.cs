using System.Collections.Immutable;

namespace MiniKube.Testing.Linearizability;

/// <summary>
/// etcd's keys, one partition per key (operations on different keys commute, so each key's
/// sub-history is checked alone). A key's state is its value and mod revision. A write whose
/// outcome is unknown leaves its revision unknown, which the next read of the key learns; and an
/// unknown compare-and-set on an unknown revision may or may not have applied, so the state is
/// the set of states still possible (a power-set model, as Porcupine's nondeterministic models).
/// </summary>
/// <remarks>
/// Revisions are checked per key: a write's revision must be above the key's previous one, and a
/// read must return the revision of the write it sees. Whether revisions agree across keys is
/// not checked (that would need one partition for the whole history).
/// </remarks>
public sealed class KvModel : IModel<ImmutableArray<KvModel.KeyState>, KvInput, KvOutput>
{
    public static readonly KvModel Instance = new();

    /// <summary>One possible state of a key: absent is (null, 0).</summary>
    public readonly record struct KeyState(string? Value, long ModRevision, bool RevisionKnown)
    {
        public static readonly KeyState Absent = new(null, 0, true);

        public override string ToString() => Value is null ? "absent" : $"{Value}@{(RevisionKnown ? ModRevision : "?")}";
    }

    public ImmutableArray<KeyState> Init() => [KeyState.Absent];

    public (bool Ok, ImmutableArray<KeyState> State) Step(ImmutableArray<KeyState> state, KvInput input, KvOutput? output)
    {
        var next = new List<KeyState>(state.Length);
        foreach (var possible in state)
        {
            foreach (var successor in Successors(possible, input, output))
            {
                if (!next.Contains(successor))
                {
                    next.Add(successor);
                }
            }
        }

        return next.Count == 0 ? (false, state) : (true, [.. next]);
    }

    public IReadOnlyList<IReadOnlyList<Operation<KvInput, KvOutput>>> Partition(IReadOnlyList<Operation<KvInput, KvOutput>> history) =>
        // A read whose answer never came changes nothing and constrains nothing.
        [.. history.Where(o => !(o.IsUnknown && o.Input.Op == KvOp.Get)).GroupBy(o => o.Input.Key, StringComparer.Ordinal).Select(g => g.ToList())];

    public bool Equal(ImmutableArray<KeyState> left, ImmutableArray<KeyState> right) =>
        left.Length == right.Length && left.All(right.Contains);

    public int Hash(ImmutableArray<KeyState> state)
    {
        var hash = 0;
        foreach (var s in state)
        {
            hash ^= s.GetHashCode(); // order-independent, as Equal is
        }

        return hash;
    }

    public string DescribeOperation(KvInput input, KvOutput? output)
    {
        var result = output is null ? "?" : input.Op switch
        {
            KvOp.Get => output.Value is null ? "absent" : $"{output.Value}@{output.ModRevision}",
            KvOp.Put => $"@{output.Revision}",
            KvOp.Delete => $"deleted {output.Deleted} @{output.Revision}",
            _ => output.Succeeded ? $"ok @{output.Revision}" : "failed",
        };
        var request = input.Op switch
        {
            KvOp.Get => $"get {input.Key}",
            KvOp.Put => $"put {input.Key}={input.Value}",
            KvOp.Delete => $"delete {input.Key}",
            KvOp.CasRevision => $"cas {input.Key} if mod_revision={input.ExpectedRevision} then ={input.Value}",
            _ => $"cas {input.Key} if value={input.ExpectedValue} then ={input.Value}",
        };
        return $"{request} → {result}";
    }

    public string DescribeState(ImmutableArray<KeyState> state) => state.Length == 1 ? state[0].ToString() : "one of {" + string.Join(", ", state) + "}";

    private static IEnumerable<KeyState> Successors(KeyState state, KvInput input, KvOutput? output)
    {
        switch (input.Op)
        {
            case KvOp.Get:
                if (output is null)
                {
                    yield return state;
                }
                else if (output.Value == state.Value && (!state.RevisionKnown || output.ModRevision == state.ModRevision))
                {
                    yield return state with { ModRevision = output.ModRevision, RevisionKnown = true };
                }

                break;
            case KvOp.Put:
                foreach (var s in Write(state, input.Value!, output))
                {
                    yield return s;
                }

                break;
            case KvOp.Delete:
                if (output is null || output.Deleted == (state.Value is null ? 0 : 1))
                {
                    yield return KeyState.Absent;
                }

                break;
            case KvOp.CasRevision:
            case KvOp.CasValue:
                // null: cannot tell from this state (its revision is unknown).
                bool? holds = input.Op == KvOp.CasValue
                    ? state.Value is not null && state.Value == input.ExpectedValue
                    : state.RevisionKnown ? state.ModRevision == input.ExpectedRevision : null;
                var mayApply = holds != false && (output is null || output.Succeeded);
                var mayNotApply = holds != true && (output is null || !output.Succeeded);
                if (mayApply)
                {
                    // A success on an unknown revision tells what the revision was.
                    var before = holds is null ? state with { ModRevision = input.ExpectedRevision, RevisionKnown = true } : state;
                    foreach (var s in Write(before, input.Value!, output))
                    {
                        yield return s;
                    }
                }

                if (mayNotApply)
                {
                    yield return state;
                }

                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(input));
        }
    }

    private static IEnumerable<KeyState> Write(KeyState state, string value, KvOutput? output)
    {
        if (output is null)
        {
            yield return new KeyState(value, 0, RevisionKnown: false);
        }
        else if (!state.RevisionKnown || output.Revision > state.ModRevision)
        {
            yield return new KeyState(value, output.Revision, RevisionKnown: true);
        }
    }
}
