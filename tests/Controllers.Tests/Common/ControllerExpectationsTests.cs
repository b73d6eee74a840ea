using Microsoft.Extensions.Time.Testing;
using MiniKube.Controllers.Common;

namespace MiniKube.Controllers.Tests.Common;

public sealed class ControllerExpectationsTests
{
    [Fact]
    public void Expectations_are_satisfied_only_once_every_creation_is_observed()
    {
        var e = new ControllerExpectations(new FakeTimeProvider());
        Assert.True(e.SatisfiedExpectations("ns/rs"));
        e.ExpectCreations("ns/rs", 2);
        Assert.False(e.SatisfiedExpectations("ns/rs"));
        e.CreationObserved("ns/rs");
        Assert.False(e.SatisfiedExpectations("ns/rs"));
        e.CreationObserved("ns/rs");
        Assert.True(e.SatisfiedExpectations("ns/rs"));
    }

    [Fact]
    public void Deletion_of_the_same_pod_observed_twice_counts_once()
    {
        var e = new ControllerExpectations(new FakeTimeProvider());
        e.ExpectDeletions("ns/rs", ["ns/a", "ns/b"]);
        e.DeletionObserved("ns/rs", "ns/a");
        e.DeletionObserved("ns/rs", "ns/a");
        e.DeletionObserved("ns/rs", "ns/unrelated");
        Assert.Equal((0, 1), e.Get("ns/rs"));
        Assert.False(e.SatisfiedExpectations("ns/rs"));
        e.DeletionObserved("ns/rs", "ns/b");
        Assert.True(e.SatisfiedExpectations("ns/rs"));
    }

    [Fact]
    public void Expectations_expire_after_five_minutes_when_never_observed()
    {
        var time = new FakeTimeProvider();
        var e = new ControllerExpectations(time);
        e.ExpectCreations("ns/rs", 3);
        time.Advance(ControllerExpectations.Timeout);
        Assert.False(e.SatisfiedExpectations("ns/rs"));
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(e.SatisfiedExpectations("ns/rs"));
    }
}
