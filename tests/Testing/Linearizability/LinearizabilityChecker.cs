using System.Numerics;

namespace MiniKube.Testing.Linearizability;

/// <summary>
/// Decides whether a concurrent history is linearizable with respect to a model: Wing and Gong's
/// search as improved by Lowe ("Testing for linearizability", 2017) and used by Porcupine and
/// Knossos. Calls and returns form one doubly linked list in time order; the search repeatedly
/// takes a call whose operation could be next (no return precedes it in the list), steps the
/// model, and lifts the call and its return out of the list; reaching a return means every order
/// tried so far is dead, so it backtracks. Memoizing each (set of linearized operations, state)
/// already explored keeps the search from exploring equivalent orders again.
/// </summary>
public static class LinearizabilityChecker
{
    /// <summary>
    /// Checks each partition of <paramref name="history"/> (see <see cref="IModel{TState,TInput,TOutput}.Partition"/>).
    /// Returns <see cref="CheckOutcome.Unknown"/> if <paramref name="timeout"/> passes first.
    /// </summary>
    public static CheckResult<TInput, TOutput> Check<TState, TInput, TOutput>(
        IModel<TState, TInput, TOutput> model,
        IReadOnlyList<Operation<TInput, TOutput>> history,
        TimeSpan? timeout = null,
        TimeProvider? time = null)
        where TOutput : class
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(history);
        time ??= TimeProvider.System;
        var deadline = timeout is { } t ? time.GetTimestamp() + (long)(t.TotalSeconds * time.TimestampFrequency) : long.MaxValue;
        var partitions = model.Partition(history);
        var timedOut = false;
        foreach (var partition in partitions)
        {
            var search = new Search<TState, TInput, TOutput>(model, partition, () => time.GetTimestamp() > deadline);
            switch (search.Run())
            {
                case CheckOutcome.NotLinearizable:
                    return new CheckResult<TInput, TOutput>(CheckOutcome.NotLinearizable, partitions.Count, search.LongestPrefix, search.StateAfterLongestPrefix,
                        search.Stuck, partition, model.DescribeOperation);
                case CheckOutcome.Unknown:
                    timedOut = true;
                    break;
            }

            if (timedOut)
            {
                break;
            }
        }

        return new CheckResult<TInput, TOutput>(timedOut ? CheckOutcome.Unknown : CheckOutcome.Linearizable, partitions.Count, [], null, null, [], model.DescribeOperation);
    }

    /// <summary>One partition's search. Never called concurrently.</summary>
    private sealed class Search<TState, TInput, TOutput>
        where TOutput : class
    {
        private readonly IModel<TState, TInput, TOutput> _model;
        private readonly IReadOnlyList<Operation<TInput, TOutput>> _operations;
        private readonly Func<bool> _expired;
        private readonly Entry _head;

        public Search(IModel<TState, TInput, TOutput> model, IReadOnlyList<Operation<TInput, TOutput>> operations, Func<bool> expired)
        {
            _model = model;
            _operations = operations;
            _expired = expired;
            _head = BuildList(operations);
        }

        public List<Operation<TInput, TOutput>> LongestPrefix { get; } = [];

        public string? StateAfterLongestPrefix { get; private set; }

        public Operation<TInput, TOutput>? Stuck { get; private set; }

        public CheckOutcome Run()
        {
            var linearized = new Bitset(_operations.Count);
            var cache = new Dictionary<int, List<(Bitset Linearized, TState State)>>();
            var calls = new Stack<(Entry Call, TState StateBefore)>();
            var state = _model.Init();
            StateAfterLongestPrefix = _model.DescribeState(state);
            var steps = 0L;
            var entry = _head.Next;
            while (_head.Next is not null)
            {
                if ((++steps & 0x3FF) == 0 && _expired())
                {
                    return CheckOutcome.Unknown;
                }

                if (entry!.IsCall)
                {
                    var operation = _operations[entry.Id];
                    var (ok, next) = _model.Step(state, operation.Input, operation.Output);
                    if (ok)
                    {
                        var withThis = linearized.With(entry.Id);
                        if (Remember(cache, withThis, next))
                        {
                            calls.Push((entry, state));
                            state = next;
                            linearized = withThis;
                            entry.Lift();
                            if (calls.Count > LongestPrefix.Count)
                            {
                                LongestPrefix.Clear();
                                LongestPrefix.AddRange(calls.Reverse().Select(c => _operations[c.Call.Id]));
                                StateAfterLongestPrefix = _model.DescribeState(state);
                                Stuck = null;
                            }

                            entry = _head.Next;
                            continue;
                        }
                    }

                    entry = entry.Next;
                }
                else
                {
                    // A return with its call still in the list: nothing placed so far lets this
                    // operation take effect before it returned.
                    if (calls.Count == LongestPrefix.Count && Stuck is null)
                    {
                        Stuck = _operations[entry.Id];
                    }

                    if (calls.Count == 0)
                    {
                        return CheckOutcome.NotLinearizable;
                    }

                    var (call, before) = calls.Pop();
                    state = before;
                    linearized = linearized.Without(call.Id);
                    call.Unlift();
                    entry = call.Next;
                }
            }

            return CheckOutcome.Linearizable;
        }

        private bool Remember(Dictionary<int, List<(Bitset Linearized, TState State)>> cache, Bitset linearized, TState state)
        {
            var hash = HashCode.Combine(linearized.GetHashCode(), _model.Hash(state));
            if (!cache.TryGetValue(hash, out var seen))
            {
                cache[hash] = [(linearized, state)];
                return true;
            }

            foreach (var (l, s) in seen)
            {
                if (l.Equals(linearized) && _model.Equal(s, state))
                {
                    return false;
                }
            }

            seen.Add((linearized, state));
            return true;
        }

        /// <summary>Calls and returns in time order; at equal times calls first (the operations overlap).</summary>
        private static Entry BuildList(IReadOnlyList<Operation<TInput, TOutput>> operations)
        {
            var entries = new List<Entry>(operations.Count * 2);
            for (var i = 0; i < operations.Count; i++)
            {
                var call = new Entry(i, isCall: true, operations[i].Call);
                var ret = new Entry(i, isCall: false, operations[i].Return);
                call.Match = ret;
                entries.Add(call);
                entries.Add(ret);
            }

            entries.Sort((a, b) => a.Time != b.Time ? a.Time.CompareTo(b.Time)
                : a.IsCall != b.IsCall ? (a.IsCall ? -1 : 1)
                : a.Id.CompareTo(b.Id));
            var head = new Entry(-1, isCall: false, long.MinValue);
            var previous = head;
            foreach (var entry in entries)
            {
                previous.Next = entry;
                entry.Previous = previous;
                previous = entry;
            }

            return head;
        }
    }

    private sealed class Entry(int id, bool isCall, long time)
    {
        public int Id { get; } = id;

        public bool IsCall { get; } = isCall;

        public long Time { get; } = time;

        /// <summary>A call's return.</summary>
        public Entry? Match { get; set; }

        public Entry? Previous { get; set; }

        public Entry? Next { get; set; }

        /// <summary>Takes this call and its return out of the list; both keep their links for <see cref="Unlift"/>.</summary>
        public void Lift()
        {
            Previous!.Next = Next;
            Next!.Previous = Previous;
            var ret = Match!;
            ret.Previous!.Next = ret.Next;
            if (ret.Next is not null)
            {
                ret.Next.Previous = ret.Previous;
            }
        }

        /// <summary>Undoes <see cref="Lift"/>; lifts are undone in reverse order, so the neighbours are as they were.</summary>
        public void Unlift()
        {
            var ret = Match!;
            ret.Previous!.Next = ret;
            if (ret.Next is not null)
            {
                ret.Next.Previous = ret;
            }

            Previous!.Next = this;
            Next!.Previous = this;
        }
    }

    /// <summary>An immutable set of operation indexes, compared and hashed by content.</summary>
    private sealed class Bitset : IEquatable<Bitset>
    {
        private readonly ulong[] _words;
        private readonly int _hash;

        public Bitset(int size) : this(new ulong[(size + 63) / 64])
        {
        }

        private Bitset(ulong[] words)
        {
            _words = words;
            var hash = 0UL;
            foreach (var w in words)
            {
                hash = (hash * 0x9E3779B97F4A7C15UL) ^ w;
            }

            _hash = (int)(hash ^ (hash >> 32)) ^ BitOperations.PopCount(hash);
        }

        public Bitset With(int index)
        {
            var words = (ulong[])_words.Clone();
            words[index / 64] |= 1UL << (index % 64);
            return new Bitset(words);
        }

        public Bitset Without(int index)
        {
            var words = (ulong[])_words.Clone();
            words[index / 64] &= ~(1UL << (index % 64));
            return new Bitset(words);
        }

        public bool Equals(Bitset? other) => other is not null && _words.AsSpan().SequenceEqual(other._words);

        public override bool Equals(object? obj) => Equals(obj as Bitset);

        public override int GetHashCode() => _hash;
    }
}
