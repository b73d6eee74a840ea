using MiniKube.Api.Core;
using MiniKube.NodeAgent.Pods;

namespace MiniKube.NodeAgent.Tests.Pods;

public sealed class PodWorkerTests
{
    private static PodCondition Condition(PodStatus status, string type) => status.Conditions!.Single(c => c.Type == type);

    [Fact]
    public void Pod_is_pending_with_ContainerCreating_until_the_startup_delay_passes()
    {
        using var h = new PodWorkerHarness(TimeSpan.FromSeconds(2));
        var worker = h.Start(PodWorkerHarness.NewPod());

        var status = worker.Snapshot().Status;
        Assert.Equal("Pending", status.Phase);
        var container = Assert.Single(status.ContainerStatuses!);
        Assert.Equal("ContainerCreating", container.State!.Waiting!.Reason);
        Assert.False(container.Ready);
        Assert.Null(container.ContainerID);
        Assert.Equal("False", Condition(status, "Ready").Status);
        Assert.Equal("ContainersNotReady", Condition(status, "Ready").Reason);
        Assert.Equal("containers with unready status: [app]", Condition(status, "Ready").Message);
        Assert.Equal("False", Condition(status, "PodReadyToStartContainers").Status);
        Assert.Equal("True", Condition(status, "Initialized").Status);
        Assert.Empty(h.Runtime.Started);

        h.Time.Advance(TimeSpan.FromSeconds(1.9));
        Assert.Empty(h.Runtime.Started);
        Assert.Equal("Pending", worker.Snapshot().Status.Phase);
    }

    [Fact]
    public void Pod_goes_running_with_conditions_ip_and_container_status_after_the_startup_delay()
    {
        using var h = new PodWorkerHarness(TimeSpan.FromSeconds(1));
        var worker = h.Start(PodWorkerHarness.NewPod());
        var changesBefore = h.Changes;

        h.Time.Advance(TimeSpan.FromSeconds(1));

        Assert.True(h.Changes > changesBefore);
        var status = worker.Snapshot().Status;
        Assert.Equal("Running", status.Phase);
        Assert.Equal(["PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady", "PodScheduled"], status.Conditions!.Select(c => c.Type));
        Assert.All(status.Conditions!, c => Assert.Equal("True", c.Status));
        Assert.Equal(PodWorkerHarness.Epoch, Condition(status, "PodScheduled").LastTransitionTime);
        Assert.Equal(PodWorkerHarness.Epoch.AddSeconds(1), Condition(status, "Ready").LastTransitionTime);
        Assert.Equal("10.244.0.2", status.PodIP);
        Assert.Equal("10.244.0.2", Assert.Single(status.PodIPs!).Ip);
        Assert.Equal("127.0.0.1", status.HostIP);
        Assert.Equal(PodWorkerHarness.Epoch, status.StartTime);
        Assert.Equal("BestEffort", status.QosClass);
        var container = Assert.Single(status.ContainerStatuses!);
        Assert.Equal(PodWorkerHarness.Epoch.AddSeconds(1), container.State!.Running!.StartedAt);
        Assert.True(container.Ready);
        Assert.True(container.Started);
        Assert.Equal(0, container.RestartCount);
        Assert.Equal("nginx:1.27", container.Image);
        Assert.StartsWith("docker.io/library/nginx@sha256:", container.ImageID, StringComparison.Ordinal);
        Assert.StartsWith("fake://", container.ContainerID, StringComparison.Ordinal);
        // Stable: the same pod computes the same IDs every time.
        Assert.Equal(container.ContainerID, worker.Snapshot().Status.ContainerStatuses![0].ContainerID);
    }

    [Fact]
    public void Conditions_keep_their_transition_time_while_unchanged()
    {
        using var h = new PodWorkerHarness();
        var worker = h.Start(PodWorkerHarness.NewPod());
        h.Time.Advance(TimeSpan.FromSeconds(1));
        var first = Condition(worker.Snapshot().Status, "Ready").LastTransitionTime;

        h.Time.Advance(TimeSpan.FromMinutes(3));

        Assert.Equal(first, Condition(worker.Snapshot().Status, "Ready").LastTransitionTime);
    }

    [Fact]
    public void Readiness_waits_for_the_readiness_probe_initial_delay()
    {
        using var h = new PodWorkerHarness();
        var container = new Container { Name = "app", Image = "nginx", ReadinessProbe = new Probe { InitialDelaySeconds = 5 } };
        var worker = h.Start(PodWorkerHarness.NewPod("web", "Always", container));
        h.Time.Advance(TimeSpan.FromSeconds(1));

        var status = worker.Snapshot().Status;
        Assert.Equal("Running", status.Phase);
        Assert.False(status.ContainerStatuses![0].Ready);
        Assert.True(status.ContainerStatuses![0].Started);
        Assert.Equal("False", Condition(status, "Ready").Status);

        var changes = h.Changes;
        h.Time.Advance(TimeSpan.FromSeconds(5));

        Assert.True(h.Changes > changes, "the worker reports the change when the delay ends");
        status = worker.Snapshot().Status;
        Assert.True(status.ContainerStatuses![0].Ready);
        Assert.Equal("True", Condition(status, "Ready").Status);
        Assert.Equal(PodWorkerHarness.Epoch.AddSeconds(6), Condition(status, "Ready").LastTransitionTime);
    }

    [Theory]
    [InlineData("Never", 1, "Failed", "Error")]
    [InlineData("Never", 0, "Succeeded", "Completed")]
    [InlineData("OnFailure", 0, "Succeeded", "Completed")]
    public void Container_exit_ends_the_pod_when_the_restart_policy_says_so(string policy, int exitCode, string phase, string reason)
    {
        using var h = new PodWorkerHarness();
        var worker = h.Start(PodWorkerHarness.NewPod("job", policy));
        h.Time.Advance(TimeSpan.FromSeconds(1));
        h.Time.Advance(TimeSpan.FromSeconds(4));

        h.Runtime.Started.Single().Exit(exitCode);

        var status = worker.Snapshot().Status;
        Assert.Equal(phase, status.Phase);
        var terminated = status.ContainerStatuses![0].State!.Terminated!;
        Assert.Equal(exitCode, terminated.ExitCode);
        Assert.Equal(reason, terminated.Reason);
        Assert.Equal(PodWorkerHarness.Epoch.AddSeconds(1), terminated.StartedAt);
        Assert.Equal(PodWorkerHarness.Epoch.AddSeconds(5), terminated.FinishedAt);
        Assert.NotNull(terminated.ContainerID);
        Assert.Equal(0, status.ContainerStatuses[0].RestartCount);
        Assert.Equal("False", Condition(status, "Ready").Status);
        Assert.Equal("PodCompleted", Condition(status, "Ready").Reason);
        Assert.Equal("False", Condition(status, "PodReadyToStartContainers").Status);
        Assert.Single(h.Runtime.Started);
    }

    [Theory]
    [InlineData("Always", 0)]
    [InlineData("Always", 2)]
    [InlineData("OnFailure", 1)]
    public void Exited_container_restarts_with_crash_loop_back_off(string policy, int exitCode)
    {
        using var h = new PodWorkerHarness();
        var pod = PodWorkerHarness.NewPod("crash", policy);
        var worker = h.Start(pod);
        h.Time.Advance(TimeSpan.FromSeconds(1));

        // The first restart is immediate.
        h.Runtime.Started[0].Exit(exitCode);
        Assert.Equal(2, h.Runtime.Started.Count);
        var status = worker.Snapshot().Status;
        Assert.Equal("Running", status.Phase);
        Assert.Equal(1, status.ContainerStatuses![0].RestartCount);
        Assert.Equal(exitCode, status.ContainerStatuses[0].LastState!.Terminated!.ExitCode);
        Assert.NotNull(status.ContainerStatuses[0].State!.Running);
        Assert.NotEqual(status.ContainerStatuses[0].LastState!.Terminated!.ContainerID, status.ContainerStatuses[0].ContainerID);

        // Then 10 s, 20 s, 40 s of CrashLoopBackOff.
        foreach (var seconds in new[] { 10, 20, 40 })
        {
            h.Runtime.Started[^1].Exit(exitCode);
            var count = h.Runtime.Started.Count;
            status = worker.Snapshot().Status;
            var waiting = status.ContainerStatuses![0].State!.Waiting!;
            Assert.Equal("CrashLoopBackOff", waiting.Reason);
            Assert.Equal($"back-off {seconds}s restarting failed container=app pod=crash_default(uid-crash)", waiting.Message);
            Assert.Equal("Running", status.Phase);
            Assert.False(status.ContainerStatuses[0].Ready);

            h.Time.Advance(TimeSpan.FromSeconds(seconds) - TimeSpan.FromMilliseconds(1));
            Assert.Equal(count, h.Runtime.Started.Count);
            h.Time.Advance(TimeSpan.FromMilliseconds(1));
            Assert.Equal(count + 1, h.Runtime.Started.Count);
            Assert.NotNull(worker.Snapshot().Status.ContainerStatuses![0].State!.Running);
        }

        Assert.Equal(4, worker.Snapshot().Status.ContainerStatuses![0].RestartCount);
    }

    [Fact]
    public void Container_that_cannot_start_reports_StartError_with_exit_code_128()
    {
        using var h = new PodWorkerHarness();
        h.Runtime.StartError = "exec: \"nope\": not found";
        var worker = h.Start(PodWorkerHarness.NewPod("bad", "Never"));
        h.Time.Advance(TimeSpan.FromSeconds(1));

        var status = worker.Snapshot().Status;
        Assert.Equal("Failed", status.Phase);
        var terminated = status.ContainerStatuses![0].State!.Terminated!;
        Assert.Equal(128, terminated.ExitCode);
        Assert.Equal("StartError", terminated.Reason);
        Assert.Contains("not found", terminated.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Deletion_stops_containers_with_the_grace_period_and_is_ready_to_delete_once_they_exit()
    {
        using var h = new PodWorkerHarness();
        var pod = PodWorkerHarness.NewPod();
        var worker = h.Start(pod);
        h.Time.Advance(TimeSpan.FromSeconds(1));
        var container = h.Runtime.Started.Single();

        var deleting = PodWorkerHarness.NewPod();
        deleting.Metadata!.ResourceVersion = "11";
        deleting.Metadata.DeletionTimestamp = h.Time.GetUtcNow().AddSeconds(7);
        deleting.Metadata.DeletionGracePeriodSeconds = 7;
        worker.Update(deleting);

        Assert.Equal(TimeSpan.FromSeconds(7), container.StoppedWithGrace);
        Assert.False(worker.Snapshot().ReadyToDelete);

        container.Exit(143);

        var snapshot = worker.Snapshot();
        Assert.True(snapshot.ReadyToDelete);
        Assert.Equal(143, snapshot.Status.ContainerStatuses![0].State!.Terminated!.ExitCode);
        Assert.Single(h.Runtime.Started);
    }

    [Fact]
    public void Deletion_before_the_start_never_starts_containers()
    {
        using var h = new PodWorkerHarness();
        var worker = h.Start(PodWorkerHarness.NewPod());
        var deleting = PodWorkerHarness.NewPod();
        deleting.Metadata!.ResourceVersion = "11";
        deleting.Metadata.DeletionTimestamp = h.Time.GetUtcNow().AddSeconds(30);
        worker.Update(deleting);

        h.Time.Advance(TimeSpan.FromSeconds(5));

        Assert.Empty(h.Runtime.Started);
        Assert.True(worker.Snapshot().ReadyToDelete);
    }

    [Fact]
    public void An_older_pod_version_does_not_replace_a_newer_one()
    {
        using var h = new PodWorkerHarness();
        var worker = h.Start(PodWorkerHarness.NewPod());
        var newer = PodWorkerHarness.NewPod();
        newer.Metadata!.ResourceVersion = "20";
        worker.Update(newer);
        var older = PodWorkerHarness.NewPod();
        older.Metadata!.ResourceVersion = "15";
        older.Metadata.DeletionTimestamp = h.Time.GetUtcNow();

        worker.Update(older);

        Assert.Equal("20", worker.Snapshot().Pod.Metadata!.ResourceVersion);
        Assert.False(worker.Snapshot().ReadyToDelete);
    }

    [Fact]
    public void Pods_of_a_node_get_distinct_addresses_and_give_them_back_when_removed()
    {
        using var h = new PodWorkerHarness();
        var a = h.Start(PodWorkerHarness.NewPod("a"));
        var b = h.Start(PodWorkerHarness.NewPod("b"));
        Assert.Equal("10.244.0.2", a.Snapshot().Status.PodIP);
        Assert.Equal("10.244.0.3", b.Snapshot().Status.PodIP);

        a.Remove();
        var c = h.Start(PodWorkerHarness.NewPod("c"));

        Assert.Equal("10.244.0.2", c.Snapshot().Status.PodIP);
        Assert.True(a.Snapshot().Removed);
    }

    [Fact]
    public void Pod_keeps_the_address_it_already_has()
    {
        using var h = new PodWorkerHarness();
        var pod = PodWorkerHarness.NewPod();
        pod.Status!.PodIP = "10.244.0.77";
        pod.Status.StartTime = PodWorkerHarness.Epoch.AddHours(-1);

        var status = h.Start(pod).Snapshot().Status;

        Assert.Equal("10.244.0.77", status.PodIP);
        Assert.Equal(PodWorkerHarness.Epoch.AddHours(-1), status.StartTime);
    }

    [Fact]
    public void Logs_say_why_they_are_not_there_as_the_kubelet_does()
    {
        using var h = new PodWorkerHarness();
        var worker = h.Start(PodWorkerHarness.NewPod("web", "Always"));

        Assert.Equal("container \"app\" in pod \"web\" is waiting to start: ContainerCreating", worker.FindLog("app", previous: false).Error);
        Assert.Equal("container \"nope\" in pod \"web\" is not available", worker.FindLog("nope", previous: false).Error);
        Assert.Equal("previous terminated container \"app\" in pod \"web\" not found", worker.FindLog("app", previous: true).Error);

        h.Time.Advance(TimeSpan.FromSeconds(1));
        var current = worker.FindLog("app", previous: false);
        Assert.Null(current.Error);
        Assert.True(current.StillRunning());
        Assert.Contains("started app", File.ReadAllText(current.Path!), StringComparison.Ordinal);

        h.Runtime.Started[0].Exit(1);
        var previous = worker.FindLog("app", previous: true);
        Assert.Null(previous.Error);
        Assert.False(previous.StillRunning());
        Assert.NotEqual(previous.Path, worker.FindLog("app", previous: false).Path);
    }

    [Fact]
    public void Environment_holds_values_and_field_references()
    {
        using var h = new PodWorkerHarness();
        var container = new Container
        {
            Name = "app",
            Image = "busybox",
            Env =
            [
                new EnvVar { Name = "GREETING", Value = "hi" },
                new EnvVar { Name = "POD_NAME", ValueFrom = new EnvVarSource { FieldRef = new ObjectFieldSelector { FieldPath = "metadata.name" } } },
                new EnvVar { Name = "POD_IP", ValueFrom = new EnvVarSource { FieldRef = new ObjectFieldSelector { FieldPath = "status.podIP" } } },
            ],
        };
        h.Start(PodWorkerHarness.NewPod("env", "Always", container));
        h.Time.Advance(TimeSpan.FromSeconds(1));

        var env = h.Runtime.Started.Single().Request.Environment;
        Assert.Equal("hi", env["GREETING"]);
        Assert.Equal("env", env["POD_NAME"]);
        Assert.Equal("10.244.0.2", env["POD_IP"]);
    }

    [Theory]
    [InlineData("Always", "running", "Running")]
    [InlineData("Always", "waiting", "Pending")]
    [InlineData("Always", "crashloop", "Running")]
    [InlineData("Never", "exit0,exit1", "Failed")]
    [InlineData("Never", "exit0,running", "Running")]
    [InlineData("OnFailure", "exit0,exit0", "Succeeded")]
    [InlineData("OnFailure", "exit0,crashloop", "Running")]
    [InlineData("Never", "exit0,waiting", "Pending")]
    public void Phase_follows_the_kubelets_getPhase(string policy, string states, string phase)
    {
        var statuses = states.Split(',').Select(s => new ContainerStatus
        {
            Name = s,
            State = s switch
            {
                "running" => new ContainerState { Running = new ContainerStateRunning() },
                "exit0" => new ContainerState { Terminated = new ContainerStateTerminated { ExitCode = 0 } },
                "exit1" => new ContainerState { Terminated = new ContainerStateTerminated { ExitCode = 1 } },
                _ => new ContainerState { Waiting = new ContainerStateWaiting() },
            },
            LastState = s == "crashloop" ? new ContainerState { Terminated = new ContainerStateTerminated { ExitCode = 1 } } : new ContainerState(),
        }).ToList();

        Assert.Equal(phase, PodWorker.PhaseOf(statuses, policy));
    }
}
