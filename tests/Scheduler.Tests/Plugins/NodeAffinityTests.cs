using MiniKube.Api.Core;
using MiniKube.Scheduler.Framework;
using static MiniKube.Scheduler.Tests.TestObjects;

namespace MiniKube.Scheduler.Tests.Plugins;

public sealed class NodeAffinityTests
{
    private readonly MiniKube.Scheduler.Plugins.NodeAffinity _plugin = new();

    private static NodeInfo Labelled(params string[] labels) =>
        NodeInfo(Node("n", labels: labels.Select(l => l.Split('=')).ToDictionary(p => p[0], p => p[1])));

    [Fact]
    public void Filter_requires_every_nodeSelector_label()
    {
        var pod = Pod("p");
        pod.Spec!.NodeSelector = new() { ["disk"] = "ssd", ["zone"] = "a" };

        Assert.Null(_plugin.Filter(new PodInfo(pod), Labelled("disk=ssd", "zone=a", "other=x")));
        Assert.Equal(["node(s) didn't match Pod's node affinity/selector"], _plugin.Filter(new PodInfo(pod), Labelled("disk=ssd", "zone=b")));
        Assert.NotNull(_plugin.Filter(new PodInfo(pod), Labelled("disk=ssd")));
    }

    [Theory]
    [InlineData("In", "a,b", "zone=b", true)]
    [InlineData("In", "a,b", "zone=c", false)]
    [InlineData("NotIn", "a", "zone=b", true)]
    [InlineData("NotIn", "a", "zone=a", false)]
    [InlineData("NotIn", "a", "other=x", true)]
    [InlineData("Exists", "", "zone=q", true)]
    [InlineData("Exists", "", "other=x", false)]
    [InlineData("DoesNotExist", "", "other=x", true)]
    [InlineData("DoesNotExist", "", "zone=a", false)]
    [InlineData("Gt", "5", "zone=6", true)]
    [InlineData("Gt", "5", "zone=5", false)]
    [InlineData("Lt", "5", "zone=4", true)]
    [InlineData("Lt", "5", "zone=x", false)]
    public void Filter_applies_each_required_affinity_operator(string op, string values, string nodeLabel, bool fits)
    {
        var pod = Pod("p");
        pod.Spec!.Affinity = new Affinity
        {
            NodeAffinity = new Api.Core.NodeAffinity
            {
                RequiredDuringSchedulingIgnoredDuringExecution = new NodeSelector
                {
                    NodeSelectorTerms =
                    [
                        new NodeSelectorTerm
                        {
                            MatchExpressions = [new NodeSelectorRequirement { Key = "zone", Operator = op, Values = values.Length == 0 ? null : [.. values.Split(',')] }],
                        },
                    ],
                },
            },
        };

        Assert.Equal(fits, _plugin.Filter(new PodInfo(pod), Labelled(nodeLabel)) is null);
    }

    [Fact]
    public void Filter_ors_the_terms_and_a_term_without_requirements_matches_nothing()
    {
        var pod = Pod("p");
        pod.Spec!.Affinity = new Affinity
        {
            NodeAffinity = new Api.Core.NodeAffinity
            {
                RequiredDuringSchedulingIgnoredDuringExecution = new NodeSelector
                {
                    NodeSelectorTerms =
                    [
                        new NodeSelectorTerm(),
                        new NodeSelectorTerm { MatchFields = [new NodeSelectorRequirement { Key = "metadata.name", Operator = "In", Values = ["n"] }] },
                    ],
                },
            },
        };

        Assert.Null(_plugin.Filter(new PodInfo(pod), Labelled("a=b")));
        pod.Spec.Affinity.NodeAffinity.RequiredDuringSchedulingIgnoredDuringExecution.NodeSelectorTerms!.RemoveAt(1);
        Assert.NotNull(_plugin.Filter(new PodInfo(pod), Labelled("a=b")));
    }

    [Fact]
    public void Score_sums_the_weights_of_matching_preferred_terms_and_normalizes_to_100()
    {
        var pod = Pod("p");
        pod.Spec!.Affinity = new Affinity
        {
            NodeAffinity = new Api.Core.NodeAffinity
            {
                PreferredDuringSchedulingIgnoredDuringExecution =
                [
                    new PreferredSchedulingTerm { Weight = 10, Preference = new NodeSelectorTerm { MatchExpressions = [new NodeSelectorRequirement { Key = "disk", Operator = "Exists" }] } },
                    new PreferredSchedulingTerm { Weight = 30, Preference = new NodeSelectorTerm { MatchExpressions = [new NodeSelectorRequirement { Key = "zone", Operator = "In", Values = ["a"] }] } },
                ],
            },
        };
        var info = new PodInfo(pod);
        long[] scores = [_plugin.Score(info, Labelled("disk=ssd", "zone=a")), _plugin.Score(info, Labelled("zone=a")), _plugin.Score(info, Labelled("disk=ssd")), _plugin.Score(info, Labelled("x=y"))];
        Assert.Equal([40L, 30, 10, 0], scores);

        _plugin.Normalize(info, scores);

        Assert.Equal([100L, 75, 25, 0], scores);
    }
}
