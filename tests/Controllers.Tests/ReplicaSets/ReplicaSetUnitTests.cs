using MiniKube.Api.Core;
using MiniKube.Api.Meta;
using MiniKube.Controllers.ReplicaSets;

namespace MiniKube.Controllers.Tests.ReplicaSets;

public sealed class ReplicaSetUnitTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(1, new[] { 1 })]
    [InlineData(7, new[] { 1, 2, 4 })]
    [InlineData(10, new[] { 1, 2, 4, 3 })]
    public async Task SlowStartBatch_runs_batches_of_doubling_size_when_every_call_succeeds(int count, int[] batches)
    {
        var calls = 0;
        var (successes, error) = await ReplicaSetController.SlowStartBatchAsync(count, 1, () => { Interlocked.Increment(ref calls); return Task.CompletedTask; });
        Assert.Equal((count, null), (successes, error));
        Assert.Equal(batches.Sum(), calls);
    }

    [Fact]
    public async Task SlowStartBatch_stops_after_the_batch_where_a_call_fails()
    {
        var calls = 0;
        var (successes, error) = await ReplicaSetController.SlowStartBatchAsync(100, 1, () =>
            Interlocked.Increment(ref calls) == 3 ? Task.FromException(new InvalidOperationException("quota")) : Task.CompletedTask);
        // Batches 1 and 2 ran (3 calls); the third call failed in the second batch, so nothing more was tried.
        Assert.Equal(3, calls);
        Assert.Equal(2, successes);
        Assert.Equal("quota", error?.Message);
    }

    [Fact]
    public void Ranking_deletes_unassigned_then_pending_then_not_ready_then_doubled_up_then_newer_pods_first()
    {
        var unassigned = Pod("unassigned", node: null, "Pending", ready: false, created: 0);
        var pending = Pod("pending", "n1", "Pending", ready: false, created: 0);
        var notReady = Pod("not-ready", "n1", "Running", ready: false, created: 0);
        var doubledUp = Pod("doubled-up", "n2", "Running", ready: true, created: 0);
        var lonelyNew = Pod("lonely-new", "n3", "Running", ready: true, created: 10);
        var lonelyOld = Pod("lonely-old", "n4", "Running", ready: true, created: 5);
        var ranks = new Dictionary<Pod, int>(ReferenceEqualityComparer.Instance) { [doubledUp] = 2, [lonelyNew] = 1, [lonelyOld] = 1 };
        var pods = new[] { lonelyOld, doubledUp, notReady, lonelyNew, pending, unassigned };
        var seed = Environment.TickCount;
        var random = new Random(seed);
        var shuffled = pods.OrderBy(_ => random.Next()).ToList();

        var order = shuffled.Order(new ActivePodsWithRanks(ranks, Now)).Select(p => p.Metadata!.Name).ToList();

        Assert.True(order.SequenceEqual(["unassigned", "pending", "not-ready", "doubled-up", "lonely-new", "lonely-old"]), $"seed {seed}: {string.Join(",", order)}");
    }

    [Fact]
    public void PodFromTemplate_names_the_replicaset_as_controller_and_generates_names_from_it()
    {
        var rs = Objects.ReplicaSet("ns", "web-5d", 1, new() { ["app"] = "web" });
        rs.Metadata!.Uid = "uid-1";

        var pod = ReplicaSetController.PodFromTemplate(rs);

        Assert.Equal(("web-5d-", "ns", "web"), (pod.Metadata!.GenerateName, pod.Metadata.Namespace, pod.Metadata.Labels!["app"]));
        var owner = Assert.Single(pod.Metadata.OwnerReferences!);
        Assert.Equal(("apps/v1", "ReplicaSet", "web-5d", "uid-1", true, true), (owner.ApiVersion, owner.Kind, owner.Name, owner.Uid, owner.Controller, owner.BlockOwnerDeletion));
        Assert.NotSame(rs.Spec!.Template!.Spec, pod.Spec);
    }

    private static Pod Pod(string name, string? node, string phase, bool ready, int created) => new()
    {
        Metadata = new ObjectMeta { Name = name, CreationTimestamp = Now.AddSeconds(created) },
        Spec = new PodSpec { NodeName = node },
        Status = new PodStatus
        {
            Phase = phase,
            Conditions = [new PodCondition { Type = "Ready", Status = ready ? "True" : "False", LastTransitionTime = Now }],
        },
    };
}
