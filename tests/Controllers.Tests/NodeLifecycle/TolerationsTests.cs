using MiniKube.Api.Core;
using MiniKube.Controllers.NodeLifecycle;

namespace MiniKube.Controllers.Tests.NodeLifecycle;

public sealed class TolerationsTests
{
    private static readonly Taint Unreachable = new() { Key = NodeLifecycleController.UnreachableTaint, Effect = "NoExecute" };

    [Fact]
    public void MinTolerationTime_is_zero_when_a_taint_is_not_tolerated()
    {
        Assert.Equal(TimeSpan.Zero, Tolerations.MinTolerationTime([new Toleration { Key = "other", Operator = "Exists" }], [Unreachable]));
    }

    [Fact]
    public void MinTolerationTime_is_unbounded_when_the_toleration_has_no_seconds()
    {
        Assert.Null(Tolerations.MinTolerationTime([new Toleration { Operator = "Exists" }], [Unreachable]));
    }

    [Fact]
    public void MinTolerationTime_is_the_smallest_matching_seconds()
    {
        var tolerations = new List<Toleration>
        {
            new() { Key = NodeLifecycleController.UnreachableTaint, Operator = "Exists", Effect = "NoExecute", TolerationSeconds = 300 },
            new() { Operator = "Exists", Effect = "NoExecute", TolerationSeconds = 60 },
            new() { Key = NodeLifecycleController.UnreachableTaint, Operator = "Exists", Effect = "NoSchedule", TolerationSeconds = 1 },
        };
        Assert.Equal(TimeSpan.FromSeconds(60), Tolerations.MinTolerationTime(tolerations, [Unreachable]));
    }
}
