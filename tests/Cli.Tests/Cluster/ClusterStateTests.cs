using MiniKube.Cli.Cluster;

namespace MiniKube.Cli.Tests.Cluster;

public sealed class ClusterStateTests
{
    private static ClusterState NewState(int members)
    {
        var next = 20000;
        return ClusterState.New(members, nodes: 3, runtime: "simulated", () => next++);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void New_gives_every_port_once_and_starts_the_store_first(int members)
    {
        var state = NewState(members);

        var ports = state.Components.SelectMany(c => new[] { c.Port, c.PeerPort }).OfType<int>().ToList();
        Assert.Equal(ports.Count, ports.Distinct().Count());
        Assert.Equal(members, state.StoreMembers.Count());
        Assert.Equal(
            [.. Enumerable.Repeat(ClusterState.StoreKind, members), ClusterState.ApiServerKind, ClusterState.ControllerManagerKind, ClusterState.SchedulerKind, ClusterState.NodeAgentKind],
            state.Components.Select(c => c.Kind));
    }

    [Fact]
    public void Save_then_load_keeps_ports_pids_and_shape()
    {
        var dir = Directory.CreateTempSubdirectory("mk-state-");
        try
        {
            var path = Path.Combine(dir.FullName, "cluster.json");
            var state = NewState(3) with { Nodes = 7, Runtime = "process" };
            state.Components[1].Pid = 4242;

            state.Save(path);
            var loaded = ClusterState.Load(path)!;

            Assert.Equal((7, "process"), (loaded.Nodes, loaded.Runtime));
            Assert.Equal(state.Components, loaded.Components);
            Assert.Equal(4242, loaded.Components[1].Pid);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void Store_arguments_name_the_whole_initial_cluster_only_when_there_are_several_members()
    {
        var dir = new ClusterDirectory("/tmp/mk-args");
        var three = NewState(3);
        var one = NewState(1);

        var lists = three.StoreMembers.Select(m => Value(ComponentArguments.For(m, three, dir), "--initial-cluster")).ToList();
        var single = ComponentArguments.For(one.StoreMembers.Single(), one, dir);

        Assert.Single(lists.Distinct());
        Assert.Equal(
            string.Join(",", three.StoreMembers.Select(m => $"{m.Name}=http://127.0.0.1:{m.PeerPort}")),
            lists[0]);
        Assert.DoesNotContain("--initial-cluster", single);
        Assert.Equal("/tmp/mk-args/store/store-1", Value(single, "--data-dir"));
        Assert.Equal($"http://127.0.0.1:{one.StoreMembers.Single().Port}", Value(single, "--listen-client-urls"));
    }

    [Fact]
    public void Apiserver_reaches_every_member_and_the_others_use_the_cluster_kubeconfig()
    {
        var dir = new ClusterDirectory("/tmp/mk-args");
        var state = NewState(3) with { Nodes = 5, Runtime = "process" };

        var apiserver = ComponentArguments.For(state.ApiServer, state, dir);
        var agent = ComponentArguments.For(state.Components.Single(c => c.Kind == ClusterState.NodeAgentKind), state, dir);
        var scheduler = ComponentArguments.For(state.Components.Single(c => c.Kind == ClusterState.SchedulerKind), state, dir);

        Assert.Equal(string.Join(",", state.StoreClientUrls.Select(u => u.GetLeftPart(UriPartial.Authority))), Value(apiserver, "--etcd-servers"));
        Assert.Equal(state.ApiServer.Port.ToString(), Value(apiserver, "--insecure-port"));
        Assert.Equal(("5", "process", "/tmp/mk-args/kubeconfig"), (Value(agent, "--nodes"), Value(agent, "--runtime"), Value(agent, "--kubeconfig")));
        Assert.Equal(["scheduler", "--kubeconfig", "/tmp/mk-args/kubeconfig"], scheduler);
    }

    [Fact]
    public void Several_controller_managers_and_schedulers_are_numbered_and_all_get_the_leader_election_durations()
    {
        var dir = new ClusterDirectory("/tmp/mk-args");
        var next = 20000;
        var state = ClusterState.New(3, nodes: 3, runtime: "simulated", () => next++, controllerManagers: 2, schedulers: 3) with
        {
            LeaderElection = new LeaderElectionDurations("8s", "6s", null),
            NodeMonitorGracePeriod = "8s",
        };

        var elected = state.Components.Where(c => c.Kind is ClusterState.ControllerManagerKind or ClusterState.SchedulerKind).ToList();

        Assert.Equal(["controller-manager-1", "controller-manager-2", "scheduler-1", "scheduler-2", "scheduler-3"], elected.Select(c => c.Name));
        Assert.All(elected, c =>
        {
            var args = ComponentArguments.For(c, state, dir);
            Assert.Equal(("8s", "6s"), (Value(args, "--leader-elect-lease-duration"), Value(args, "--leader-elect-renew-deadline")));
            Assert.DoesNotContain("--leader-elect-retry-period", args);
        });
        Assert.Equal("8s", Value(ComponentArguments.For(elected[0], state, dir), "--node-monitor-grace-period"));
    }

    [Fact]
    public void The_identity_of_a_components_current_process_is_the_last_one_its_log_announced()
    {
        var log = Path.GetTempFileName();
        try
        {
            File.WriteAllLines(log,
            [
                "--- 2026-12-02T10:00:00Z mkctl controller-manager --kubeconfig k",
                "controller-manager host_5a0e0b5c-34a4-4f55-b1c4-3f4a0d1f10aa against http://127.0.0.1:1",
                "controller-manager: error syncing \"a/b\", requeuing: conflict",
                "--- 2026-12-02T10:05:00Z mkctl controller-manager --kubeconfig k",
                "controller-manager host_0c8c1b35-4ad1-44ce-9d36-7b7d20b5f0f2 against http://127.0.0.1:1",
                "new leader elected: host_5a0e0b5c-34a4-4f55-b1c4-3f4a0d1f10aa",
            ]);

            Assert.Equal("host_0c8c1b35-4ad1-44ce-9d36-7b7d20b5f0f2", LeaseHolders.IdentityFromLog(log, ClusterState.ControllerManagerKind));
            Assert.Null(LeaseHolders.IdentityFromLog(log, ClusterState.SchedulerKind));
        }
        finally
        {
            File.Delete(log);
        }
    }

    private static string Value(IReadOnlyList<string> args, string flag)
    {
        var i = args.ToList().IndexOf(flag);
        Assert.True(i >= 0 && i + 1 < args.Count, $"{flag} missing from: {string.Join(' ', args)}");
        return args[i + 1];
    }
}
