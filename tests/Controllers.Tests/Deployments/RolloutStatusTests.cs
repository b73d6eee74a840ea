using Microsoft.Extensions.Time.Testing;
using MiniKube.Api.Apps;
using MiniKube.Controllers.Deployments;
using static MiniKube.Controllers.Deployments.DeploymentConditions;

namespace MiniKube.Controllers.Tests.Deployments;

public sealed class RolloutStatusTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 2, 6, 0, 0, TimeSpan.Zero));

    [Fact]
    public void CalculateStatus_sums_the_replica_sets_and_sets_Available_against_maxUnavailable()
    {
        var d = Objects.Deployment("ns", "web", 10);
        d.Metadata!.Generation = 4;
        var newRs = Objects.ReplicaSet("new", 4, 1, available: 2);
        var old = Objects.ReplicaSet("old", 6, 0, available: 6);

        var status = DeploymentUtil.CalculateStatus([old, newRs], newRs, d, _time.GetUtcNow());

        Assert.Equal((10, 4, 8, 8, 2, 4L), (status.Replicas, status.UpdatedReplicas, status.ReadyReplicas, status.AvailableReplicas, status.UnavailableReplicas, status.ObservedGeneration));
        Assert.Equal((True, MinimumReplicasAvailable), Condition(status, Available));

        old.Status!.AvailableReplicas = 5;
        status = DeploymentUtil.CalculateStatus([old, newRs], newRs, d, _time.GetUtcNow());
        Assert.Equal((False, MinimumReplicasUnavailable), Condition(status, Available));
    }

    [Fact]
    public void RolloutStatus_goes_from_progressing_to_complete_and_keeps_the_transition_time()
    {
        var d = Objects.Deployment("ns", "web", 3);
        var newRs = Objects.ReplicaSet("web-abc", 3, 1, available: 1);
        var old = Objects.ReplicaSet("web-old", 1, 0, available: 1);
        d.Status = new DeploymentStatus { Replicas = 4, UpdatedReplicas = 3, AvailableReplicas = 1, ReadyReplicas = 1, ObservedGeneration = 1 };
        var start = _time.GetUtcNow();
        Set(d.Status, New(Progressing, True, NewReplicaSetReason, "Created new replica set \"web-abc\"", start));

        _time.Advance(TimeSpan.FromSeconds(30));
        newRs.Status!.AvailableReplicas = 2;
        var progressing = DeploymentController.RolloutStatus([old, newRs], newRs, d, _time.GetUtcNow());
        var condition = Get(progressing, Progressing)!;
        Assert.Equal((True, ReplicaSetUpdatedReason, "ReplicaSet \"web-abc\" is progressing."), (condition.Status, condition.Reason, condition.Message));
        Assert.Equal(start, condition.LastTransitionTime);
        Assert.Equal(_time.GetUtcNow(), condition.LastUpdateTime);

        d.Status = progressing;
        _time.Advance(TimeSpan.FromSeconds(30));
        newRs.Status.AvailableReplicas = 3;
        old.Spec!.Replicas = 0;
        old.Status!.Replicas = 0;
        old.Status.AvailableReplicas = 0;
        var complete = DeploymentController.RolloutStatus([old, newRs], newRs, d, _time.GetUtcNow());
        condition = Get(complete, Progressing)!;
        Assert.Equal((True, NewRSAvailableReason, "ReplicaSet \"web-abc\" has successfully progressed."), (condition.Status, condition.Reason, condition.Message));
        Assert.Equal(start, condition.LastTransitionTime);
        Assert.True(DeploymentUtil.DeploymentComplete(d, complete));
    }

    [Fact]
    public void RolloutStatus_times_out_only_after_progressDeadlineSeconds_without_progress_and_requeues_for_it()
    {
        var d = Objects.Deployment("ns", "web", 3);
        d.Spec!.ProgressDeadlineSeconds = 60;
        var newRs = Objects.ReplicaSet("web-abc", 3, 1, available: 0);
        d.Status = DeploymentController.RolloutStatus([newRs], newRs, d, _time.GetUtcNow());
        Set(d.Status, New(Progressing, True, NewReplicaSetReason, "Created", _time.GetUtcNow()));

        _time.Advance(TimeSpan.FromSeconds(45));
        var stuck = DeploymentController.RolloutStatus([newRs], newRs, d, _time.GetUtcNow());
        Assert.Equal((True, NewReplicaSetReason), Condition(stuck, Progressing));
        Assert.Equal(TimeSpan.FromSeconds(15), DeploymentController.RequeueStuckDeploymentAfter(d, stuck, _time.GetUtcNow()));

        _time.Advance(TimeSpan.FromSeconds(16));
        var timedOut = DeploymentController.RolloutStatus([newRs], newRs, d, _time.GetUtcNow());
        Assert.Equal((False, TimedOutReason), Condition(timedOut, Progressing));
        Assert.Equal("ReplicaSet \"web-abc\" has timed out progressing.", Get(timedOut, Progressing)!.Message);

        d.Status = timedOut;
        Assert.True(DeploymentController.RequeueStuckDeploymentAfter(d, timedOut, _time.GetUtcNow()) < TimeSpan.Zero);
    }

    [Fact]
    public void RolloutStatus_drops_Progressing_without_a_deadline_and_mirrors_ReplicaFailure()
    {
        var d = Objects.Deployment("ns", "web", 1);
        d.Spec!.ProgressDeadlineSeconds = int.MaxValue;
        d.Status = new DeploymentStatus();
        Set(d.Status, New(Progressing, True, NewReplicaSetReason, "Created", _time.GetUtcNow()));
        var newRs = Objects.ReplicaSet("web-abc", 1, 1, available: 0);
        newRs.Status!.Conditions = [new ReplicaSetCondition { Type = ReplicaFailure, Status = True, Reason = "FailedCreate", Message = "quota" }];

        var status = DeploymentController.RolloutStatus([newRs], newRs, d, _time.GetUtcNow());

        Assert.Null(Get(status, Progressing));
        Assert.Equal((True, "FailedCreate"), Condition(status, ReplicaFailure));
    }

    [Fact]
    public void Set_keeps_lastTransitionTime_when_only_the_reason_changes_and_ignores_an_identical_condition()
    {
        var status = new DeploymentStatus();
        var first = _time.GetUtcNow();
        Set(status, New(Progressing, Unknown, PausedDeployReason, "Deployment is paused", first));
        _time.Advance(TimeSpan.FromMinutes(1));

        Set(status, New(Progressing, Unknown, PausedDeployReason, "Deployment is paused", _time.GetUtcNow()));
        Assert.Equal(first, Get(status, Progressing)!.LastUpdateTime);

        Set(status, New(Progressing, Unknown, ResumedDeployReason, "Deployment is resumed", _time.GetUtcNow()));
        Assert.Equal((first, _time.GetUtcNow()), (Get(status, Progressing)!.LastTransitionTime!.Value, Get(status, Progressing)!.LastUpdateTime!.Value));

        Set(status, New(Progressing, True, ReplicaSetUpdatedReason, "x", _time.GetUtcNow()));
        Assert.Equal(_time.GetUtcNow(), Get(status, Progressing)!.LastTransitionTime);
        Assert.Single(status.Conditions!);
    }

    private static (string?, string?) Condition(DeploymentStatus status, string type) =>
        Get(status, type) is { } c ? (c.Status, c.Reason) : (null, null);
}
