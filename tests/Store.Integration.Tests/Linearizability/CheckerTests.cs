using MiniKube.Testing.Linearizability;

namespace MiniKube.Store.Integration.Tests.Linearizability;

/// <summary>
/// The linearizability checker on histories whose answer is known: written by hand, generated
/// from a sequential reference (linearizable by construction), and the same with one read's
/// result changed, where a brute-force search over every order is the reference.
/// </summary>
public sealed class CheckerTests
{
    private const long U = Operation<RegisterInput, RegisterOutput>.Never;

    private static Operation<RegisterInput, RegisterOutput> Read(long call, long ret, int value) => new(0, RegisterInput.Read(), new RegisterOutput(value), call, ret);

    private static Operation<RegisterInput, RegisterOutput> Write(long call, long ret, int value) =>
        new(1, RegisterInput.Write(value), ret == U ? null : RegisterOutput.Written, call, ret);

    private static Operation<RegisterInput, RegisterOutput> Cas(long call, long ret, int expected, int value, bool? succeeded) =>
        new(2, RegisterInput.Cas(expected, value), succeeded is { } s ? new RegisterOutput(Succeeded: s) : null, call, succeeded is null ? U : ret);

    public static TheoryData<string, Operation<RegisterInput, RegisterOutput>[], bool> RegisterHistories => new()
    {
        { "a read after a write sees it", [Write(0, 10, 1), Read(20, 30, 1)], true },
        { "stale read: a read after a write sees the old value", [Write(0, 10, 1), Read(20, 30, 0)], false },
        { "a read overlapping a write may see the old value", [Write(0, 10, 1), Read(5, 15, 0)], true },
        { "a read overlapping a write may see the new value", [Write(0, 10, 1), Read(5, 15, 1)], true },
        { "lost write: a later read sees the earlier of two writes", [Write(0, 10, 1), Write(20, 30, 2), Read(40, 50, 1)], false },
        { "overlapping writes may land in either order", [Write(0, 30, 1), Write(10, 20, 2), Read(40, 50, 1)], true },
        { "new then old: once a read saw the write, a later one cannot miss it", [Write(0, 100, 1), Read(10, 20, 1), Read(30, 40, 0)], false },
        { "two compare-and-sets from the same value cannot both succeed", [Cas(0, 20, 0, 1, true), Cas(5, 25, 0, 2, true)], false },
        { "of two compare-and-sets from the same value one fails", [Cas(0, 20, 0, 1, true), Cas(5, 25, 0, 2, false), Read(30, 40, 1)], true },
        { "a compare-and-set fails although the value matched", [Write(0, 10, 1), Cas(20, 30, 1, 2, false), Read(40, 50, 1)], false },
        { "a compare-and-set succeeds although the value differed", [Write(0, 10, 1), Cas(20, 30, 0, 2, true)], false },
        { "chained compare-and-sets in an order only overlaps allow", [Cas(0, 50, 1, 2, true), Cas(10, 40, 0, 1, true), Read(60, 70, 2)], true },
        { "an unknown write that took effect", [Write(0, U, 1), Read(10, 20, 1), Read(30, 40, 1)], true },
        { "an unknown write that never took effect", [Write(0, U, 1), Read(10, 20, 0), Read(30, 40, 0)], true },
        { "an unknown write takes effect once, not twice", [Write(0, U, 1), Write(5, 8, 2), Read(10, 20, 1), Read(30, 40, 2)], false },
        { "an unknown write cannot take effect before it was called", [Read(0, 10, 1), Write(20, U, 1)], false },
        { "an unknown compare-and-set that took effect", [Write(0, 10, 1), Cas(20, 0, 1, 2, null), Read(30, 40, 2)], true },
        { "an unknown compare-and-set that cannot have taken effect", [Write(0, 10, 3), Cas(20, 0, 1, 2, null), Read(30, 40, 2)], false },
    };

    [Theory]
    [MemberData(nameof(RegisterHistories))]
    public void Register_history_is_judged_as_expected(string name, Operation<RegisterInput, RegisterOutput>[] history, bool linearizable)
    {
        var result = LinearizabilityChecker.Check(RegisterModel.Instance, history, TimeSpan.FromSeconds(10));

        Assert.True(result.IsLinearizable == linearizable && result.Outcome != CheckOutcome.Unknown, $"{name}: {result}");
        Assert.True(BruteForce.IsLinearizable(RegisterModel.Instance, history) == linearizable, $"{name}: the brute-force reference disagrees with the table");
    }

    private static Operation<KvInput, KvOutput> Kv(long call, long ret, KvInput input, KvOutput? output) => new(0, input, output, call, output is null ? U : ret);

    public static TheoryData<string, Operation<KvInput, KvOutput>[], bool> KvHistories => new()
    {
        { "put then get with its revision", [Kv(0, 10, KvInput.Put("a", "1"), KvOutput.Put(5)), Kv(20, 30, KvInput.Get("a"), KvOutput.Got("1", 5))], true },
        { "a get with another revision than the put's", [Kv(0, 10, KvInput.Put("a", "1"), KvOutput.Put(5)), Kv(20, 30, KvInput.Get("a"), KvOutput.Got("1", 6))], false },
        { "a later put with a lower revision", [Kv(0, 10, KvInput.Put("a", "1"), KvOutput.Put(5)), Kv(20, 30, KvInput.Put("a", "2"), KvOutput.Put(4))], false },
        { "keys are independent", [Kv(0, 10, KvInput.Put("a", "1"), KvOutput.Put(5)), Kv(20, 30, KvInput.Get("b"), KvOutput.Got(null, 0))], true },
        { "a get after a delete sees nothing", [Kv(0, 10, KvInput.Put("a", "1"), KvOutput.Put(2)), Kv(20, 30, KvInput.Delete("a"), KvOutput.Delete(1, 3)), Kv(40, 50, KvInput.Get("a"), KvOutput.Got("1", 2))], false },
        { "a delete of an absent key deletes nothing", [Kv(0, 10, KvInput.Delete("a"), KvOutput.Delete(1, 3))], false },
        { "cas on the read revision succeeds", [Kv(0, 10, KvInput.Put("a", "1"), KvOutput.Put(2)), Kv(20, 30, KvInput.CasRevision("a", 2, "2"), KvOutput.Cas(true, 3)), Kv(40, 50, KvInput.Get("a"), KvOutput.Got("2", 3))], true },
        { "cas on a stale revision succeeds", [Kv(0, 10, KvInput.Put("a", "1"), KvOutput.Put(2)), Kv(12, 18, KvInput.Put("a", "x"), KvOutput.Put(3)), Kv(20, 30, KvInput.CasRevision("a", 2, "2"), KvOutput.Cas(true, 4))], false },
        { "cas on an absent key's revision 0 creates it", [Kv(0, 10, KvInput.CasRevision("a", 0, "1"), KvOutput.Cas(true, 2)), Kv(20, 30, KvInput.Get("a"), KvOutput.Got("1", 2))], true },
        { "cas on the value of an absent key succeeds", [Kv(0, 10, KvInput.CasValue("a", "", "1"), KvOutput.Cas(true, 2))], false },
        { "an unknown put's revision is learnt by the next get", [Kv(0, 10, KvInput.Put("a", "1"), null), Kv(20, 30, KvInput.Get("a"), KvOutput.Got("1", 7)), Kv(40, 50, KvInput.Get("a"), KvOutput.Got("1", 7))], true },
        { "a learnt revision must stay", [Kv(0, 10, KvInput.Put("a", "1"), null), Kv(20, 30, KvInput.Get("a"), KvOutput.Got("1", 7)), Kv(40, 50, KvInput.Get("a"), KvOutput.Got("1", 8))], false },
        { "an unknown cas on an unknown revision may have applied", [Kv(0, 10, KvInput.Put("a", "1"), null), Kv(20, 30, KvInput.CasRevision("a", 4, "2"), null), Kv(40, 50, KvInput.Get("a"), KvOutput.Got("2", 9))], true },
        { "an unknown cas on an unknown revision may have not applied", [Kv(0, 10, KvInput.Put("a", "1"), null), Kv(20, 30, KvInput.CasRevision("a", 4, "2"), null), Kv(40, 50, KvInput.Get("a"), KvOutput.Got("1", 3))], true },
    };

    [Theory]
    [MemberData(nameof(KvHistories))]
    public void Kv_history_is_judged_as_expected(string name, Operation<KvInput, KvOutput>[] history, bool linearizable)
    {
        var result = LinearizabilityChecker.Check(KvModel.Instance, history, TimeSpan.FromSeconds(10));

        Assert.True(result.IsLinearizable == linearizable && result.Outcome != CheckOutcome.Unknown, $"{name}: {result}");
    }

    [Fact]
    public void Violation_report_names_the_prefix_and_the_operation_that_could_not_be_linearized()
    {
        Operation<RegisterInput, RegisterOutput>[] history = [Write(0, 10, 1), Write(20, 30, 2), Read(40, 50, 1)];

        var result = LinearizabilityChecker.Check(RegisterModel.Instance, history);

        Assert.Equal(CheckOutcome.NotLinearizable, result.Outcome);
        Assert.Equal([history[0], history[1]], result.LongestPrefix);
        Assert.Same(history[2], result.Stuck);
        Assert.Equal("2", result.StateAfterPrefix);
        var report = result.ToString();
        Assert.Contains("could not be linearized", report, StringComparison.Ordinal);
        Assert.Contains("client 0 [40, 50] read → 1", report, StringComparison.Ordinal);
    }

    // With unknown operations the histories are shorter: each stays pending to the end, so
    // proving a violation means trying every subset of them that may have taken effect.
    [Theory]
    [InlineData(1, 0.0, 300)]
    [InlineData(2, 0.0, 300)]
    [InlineData(3, 0.1, 80)]
    [InlineData(4, 0.1, 80)]
    [InlineData(5, 0.3, 40)]
    public void Random_register_history_from_a_sequential_reference_is_linearizable_and_a_changed_read_is_not(int seed, double unknownFraction, int count)
    {
        var history = HistoryGenerator.Register(new Random(seed), count, values: 1000, overlap: 25, unknownFraction);

        var result = LinearizabilityChecker.Check(RegisterModel.Instance, history, TimeSpan.FromSeconds(20));
        Assert.True(result.IsLinearizable, $"seed {seed}: {result}");

        // A value no write wrote can be seen by no order.
        var reads = history.Select((o, i) => (o, i)).Where(p => p.o.Input.Op == RegisterOp.Read).ToList();
        var (read, index) = reads[new Random(seed).Next(reads.Count)];
        history[index] = read with { Output = new RegisterOutput(-1) };
        var mutated = LinearizabilityChecker.Check(RegisterModel.Instance, history, TimeSpan.FromSeconds(20));
        Assert.True(mutated.Outcome == CheckOutcome.NotLinearizable, $"seed {seed}, read #{index} changed: {mutated}");
        Assert.Same(history[index], mutated.Stuck);
    }

    [Theory]
    [InlineData(11, 0.0, 600)]
    [InlineData(12, 0.1, 200)]
    [InlineData(13, 0.25, 120)]
    public void Random_kv_history_from_a_sequential_reference_is_linearizable_and_a_changed_read_is_not(int seed, double unknownFraction, int count)
    {
        var history = HistoryGenerator.Kv(new Random(seed), count, keys: 4, overlap: 25, unknownFraction);

        var result = LinearizabilityChecker.Check(KvModel.Instance, history, TimeSpan.FromSeconds(20));
        Assert.True(result.IsLinearizable, $"seed {seed}: {result}");
        Assert.Equal(4, result.Partitions);

        var gets = history.Select((o, i) => (o, i)).Where(p => p.o.Input.Op == KvOp.Get && !p.o.IsUnknown).ToList();
        var (get, index) = gets[new Random(seed).Next(gets.Count)];
        history[index] = get with { Output = KvOutput.Got("never written", 1) };
        var mutated = LinearizabilityChecker.Check(KvModel.Instance, history, TimeSpan.FromSeconds(20));
        Assert.True(mutated.Outcome == CheckOutcome.NotLinearizable, $"seed {seed}, get #{index} changed: {mutated}");
    }

    [Fact]
    public void Small_histories_with_one_read_changed_are_judged_as_a_brute_force_search_judges_them()
    {
        const int Seed = 20261202;
        var random = new Random(Seed);
        var verdicts = new int[2];
        for (var round = 0; round < 400; round++)
        {
            // Few values and wide overlaps, so that a changed read is often still explainable.
            var history = HistoryGenerator.Register(random, count: 7, values: 2, overlap: 30, unknownFraction: 0.15);
            var reads = history.Select((o, i) => (o, i)).Where(p => p.o.Input.Op == RegisterOp.Read).ToList();
            if (reads.Count > 0)
            {
                var (read, index) = reads[random.Next(reads.Count)];
                history[index] = read with { Output = new RegisterOutput((read.Output!.Value + 1 + random.Next(2)) % 3) };
            }

            var expected = BruteForce.IsLinearizable(RegisterModel.Instance, history);
            var result = LinearizabilityChecker.Check(RegisterModel.Instance, history, TimeSpan.FromSeconds(10));
            Assert.True(result.IsLinearizable == expected && result.Outcome != CheckOutcome.Unknown,
                $"seed {Seed}, round {round}: brute force says {expected}, the checker {result}\n{string.Join('\n', history)}");
            verdicts[expected ? 1 : 0]++;
        }

        // Both answers must be common, or the comparison proves little.
        Assert.True(verdicts[0] > 40 && verdicts[1] > 40, $"seed {Seed}: {verdicts[0]} not linearizable, {verdicts[1]} linearizable");
    }

    [Fact]
    public void Search_that_runs_out_of_time_answers_unknown()
    {
        // 40 concurrent writes of distinct values, then a read of a value none wrote: every
        // order of the writes must be tried before the answer is no, far too many for the clock
        // below, which moves a second each time it is read.
        var history = Enumerable.Range(1, 40).Select(v => Write(0, 100, v)).Append(Read(200, 300, -1)).ToArray();

        var result = LinearizabilityChecker.Check(RegisterModel.Instance, history, TimeSpan.FromSeconds(5), new SteppingTime());

        Assert.Equal(CheckOutcome.Unknown, result.Outcome);
    }

    /// <summary>A clock that advances one second every time it is read.</summary>
    private sealed class SteppingTime : TimeProvider
    {
        private long _now;

        public override long TimestampFrequency => 1;

        public override long GetTimestamp() => Interlocked.Increment(ref _now);
    }
}
