using MiniKube.Api.Core;
using MiniKube.Scheduler.Framework;
using MiniKube.Scheduler.Plugins;
using static MiniKube.Scheduler.Tests.TestObjects;

namespace MiniKube.Scheduler.Tests.Plugins;

public sealed class TaintTolerationTests
{
    private readonly TaintToleration _plugin = new();

    private static PodInfo PodTolerating(params Toleration[] tolerations)
    {
        var pod = Pod("p");
        pod.Spec!.Tolerations = [.. tolerations];
        return new PodInfo(pod);
    }

    [Fact]
    public void Filter_names_the_first_untolerated_NoSchedule_or_NoExecute_taint()
    {
        var node = NodeInfo(Node("n", taints:
        [
            new Taint { Key = "soft", Value = "x", Effect = "PreferNoSchedule" },
            new Taint { Key = "dedicated", Value = "gpu", Effect = "NoSchedule" },
        ]));

        Assert.Equal(["node(s) had untolerated taint {dedicated: gpu}"], _plugin.Filter(PodTolerating(), node));
    }

    [Theory]
    [InlineData("dedicated", "Equal", "gpu", "NoSchedule", true)]
    [InlineData("dedicated", null, "gpu", null, true)]
    [InlineData("dedicated", "Equal", "cpu", "NoSchedule", false)]
    [InlineData("dedicated", "Exists", null, null, true)]
    [InlineData(null, "Exists", null, null, true)]
    [InlineData("dedicated", "Exists", null, "NoExecute", false)]
    [InlineData("other", "Exists", null, null, false)]
    public void Filter_passes_when_a_toleration_matches_key_value_and_effect(string? key, string? op, string? value, string? effect, bool fits)
    {
        var node = NodeInfo(Node("n", taints: [new Taint { Key = "dedicated", Value = "gpu", Effect = "NoSchedule" }]));

        var reasons = _plugin.Filter(PodTolerating(new Toleration { Key = key, Operator = op, Value = value, Effect = effect }), node);

        Assert.Equal(fits, reasons is null);
    }

    [Fact]
    public void Score_prefers_nodes_with_fewer_untolerated_PreferNoSchedule_taints()
    {
        var clean = NodeInfo(Node("clean"));
        var one = NodeInfo(Node("one", taints: [new Taint { Key = "a", Effect = "PreferNoSchedule" }]));
        var two = NodeInfo(Node("two", taints: [new Taint { Key = "a", Effect = "PreferNoSchedule" }, new Taint { Key = "b", Effect = "PreferNoSchedule" }]));
        var pod = PodTolerating(new Toleration { Key = "b", Operator = "Exists", Effect = "PreferNoSchedule" });

        long[] scores = [_plugin.Score(pod, clean), _plugin.Score(pod, one), _plugin.Score(pod, two)];
        _plugin.Normalize(pod, scores);

        Assert.Equal([100L, 0, 0], scores);
    }
}
