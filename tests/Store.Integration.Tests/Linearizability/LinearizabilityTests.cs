using MiniKube.Testing;
using MiniKube.Testing.Linearizability;
using Xunit.Abstractions;
using static MiniKube.Store.Integration.Tests.Infrastructure.Bytes;

namespace MiniKube.Store.Integration.Tests.Linearizability;

/// <summary>
/// Concurrent clients against one server, MiniKube's store and a real etcd alike: whatever
/// they did, some order of it, consistent with real time, is legal for a key-value store.
/// </summary>
public sealed class LinearizabilityTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("minikube")]
    [InlineData("etcd")]
    public async Task Concurrent_gets_puts_deletes_and_compare_and_sets_are_linearizable(string kind)
    {
        var seed = Environment.TickCount;
        await using IEtcdServer server = kind == "etcd" ? await RealEtcd.StartAsync() : await MiniKubeStore.StartAsync();
        var workload = new KvWorkload([server.ClientUrl], UniquePrefix("linearizability"), seed);

        await workload.RunAsync(TimeSpan.FromSeconds(4), minimumOperations: 300);

        var history = workload.Recorder.History();
        var result = LinearizabilityChecker.Check(KvModel.Instance, history, TimeSpan.FromSeconds(10));
        var summary = $"{kind}, seed {seed}: {history.Count} operations, {workload.Recorder.UnknownCount} with unknown outcome";
        output.WriteLine(summary);
        Assert.True(history.Count > 100, summary);
        Assert.True(result.IsLinearizable, $"{summary}: {result}");
    }

    [Fact]
    public async Task Recorded_history_with_one_get_changed_is_found_not_linearizable()
    {
        // The same pipeline must be able to fail: a recorded history (no short deadlines, so no
        // unknown outcomes to try every subset of) with one get answering a value never written.
        var seed = Environment.TickCount;
        await using var server = await MiniKubeStore.StartAsync();
        var workload = new KvWorkload([server.ClientUrl], UniquePrefix("linearizability"), seed) { ShortDeadlineFraction = 0 };
        await workload.RunAsync(TimeSpan.FromSeconds(1.5), minimumOperations: 100);
        var history = workload.Recorder.History().ToList();
        var index = history.FindIndex(o => o.Input.Op == KvOp.Get && o.Output?.Value is not null);
        Assert.True(index >= 0, $"seed {seed}: no get saw a value in {history.Count} operations");
        history[index] = history[index] with { Output = KvOutput.Got("never written", history[index].Output!.ModRevision) };

        var result = LinearizabilityChecker.Check(KvModel.Instance, history, TimeSpan.FromSeconds(10));

        Assert.True(result.Outcome == CheckOutcome.NotLinearizable, $"seed {seed}: {result}");
        Assert.Contains("never written", result.ToString(), StringComparison.Ordinal);
    }
}
