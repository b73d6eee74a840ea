using MiniKube.Api.Coordination;
using MiniKube.Api.Core;
using MiniKube.Api.Meta;
using MiniKube.Client;
using MiniKube.Testing;
using MiniKube.Testing.Cluster;

namespace MiniKube.NodeAgent.Tests.Integration;

/// <summary>A node agent against a store process and an in-process apiserver; each test has nodes and a namespace of its own.</summary>
public sealed class NodeAgentClusterTests(ClusterFixture cluster) : IClassFixture<ClusterFixture>, IAsyncLifetime
{
    private readonly List<NodeAgentHost> _agents = [];
    private readonly KubeClient _client = cluster.NewClient();

    private async Task<NodeAgentHost> StartAgentAsync(int nodes, string runtime = "simulated", int leaseSeconds = 40)
    {
        var agent = await NodeAgentHost.StartAsync(new NodeAgentOptions
        {
            Nodes = nodes,
            NodeNamePrefix = $"n{Guid.NewGuid():N}"[..9] + "-",
            Runtime = runtime,
            StartupDelay = TimeSpan.FromMilliseconds(200),
            NodeLeaseDurationSeconds = leaseSeconds,
        }, cluster.NewClient(), log: _ => { });
        _agents.Add(agent);
        return agent;
    }

    private static Pod NewPod(string ns, string name, string node, string restartPolicy = "Always", List<string>? command = null) => new()
    {
        ApiVersion = "v1",
        Kind = "Pod",
        Metadata = new ObjectMeta { Name = name, Namespace = ns },
        Spec = new PodSpec
        {
            NodeName = node,
            RestartPolicy = restartPolicy,
            TerminationGracePeriodSeconds = 5,
            Containers = [new Container { Name = "main", Image = "busybox:1.36", Command = command }],
        },
    };

    private async Task<Pod> WaitForPodAsync(string ns, string name, Func<Pod, bool> condition, string what)
    {
        Pod? last = null;
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (DateTime.UtcNow < deadline)
        {
            last = await _client.GetAsync<Pod>(ns, name);
            if (condition(last))
            {
                return last;
            }

            await Task.Delay(50);
        }

        Assert.Fail($"timed out waiting for {what}; last status: {Api.Serialization.ApiJson.Serialize(last?.Status)}");
        return last!;
    }

    private async Task WaitForPodGoneAsync(string ns, string name)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                await _client.GetAsync<Pod>(ns, name);
            }
            catch (KubeApiException e) when (e.IsNotFound)
            {
                return;
            }

            await Task.Delay(50);
        }

        Assert.Fail($"pod {ns}/{name} was not deleted");
    }

    [Fact]
    public async Task Agent_registers_its_nodes_ready_with_leases_that_are_renewed()
    {
        var agent = await StartAgentAsync(3, leaseSeconds: 4);
        var names = agent.NodeNames.Order().ToList();
        Assert.Equal(3, names.Count);

        var nodes = new List<Node>();
        foreach (var name in names)
        {
            Node? node = null;
            await Eventually.TrueAsync(() =>
            {
                try
                {
                    node = _client.GetAsync<Node>(null, name).GetAwaiter().GetResult();
                    return node.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true;
                }
                catch (KubeApiException e) when (e.IsNotFound)
                {
                    return false;
                }
            }, $"node {name} Ready");
            nodes.Add(node!);
        }

        foreach (var node in nodes)
        {
            var name = node.Metadata!.Name!;
            Assert.Equal(name, node.Metadata.Labels!["kubernetes.io/hostname"]);
            Assert.Equal("linux", node.Metadata.Labels["kubernetes.io/os"]);
            Assert.Equal("110", node.Status!.Allocatable!["pods"].ToString());
            Assert.Equal("4", node.Status.Capacity!["cpu"].ToString());
            Assert.Equal("8Gi", node.Status.Capacity["memory"].ToString());
            Assert.Equal(agent.Port, node.Status.DaemonEndpoints!.KubeletEndpoint!.Port);
            Assert.Contains(node.Status.Addresses!, a => a.Type == "InternalIP" && a.Address == "127.0.0.1");
            Assert.Contains(node.Status.Addresses!, a => a.Type == "Hostname" && a.Address == name);
            Assert.All(new[] { "MemoryPressure", "DiskPressure", "PIDPressure" },
                t => Assert.Equal("False", node.Status.Conditions!.Single(c => c.Type == t).Status));
            Assert.Equal("linux", node.Status.NodeInfo!.OperatingSystem);
        }

        Assert.Equal(["10.244.0.0/24", "10.244.1.0/24", "10.244.2.0/24"], nodes.Select(n => n.Spec!.PodCIDR));

        var first = new Dictionary<string, DateTimeOffset>();
        foreach (var name in names)
        {
            Lease? lease = null;
            await Eventually.TrueAsync(() =>
            {
                try
                {
                    lease = _client.GetAsync<Lease>("kube-node-lease", name).GetAwaiter().GetResult();
                    return true;
                }
                catch (KubeApiException e) when (e.IsNotFound)
                {
                    return false;
                }
            }, $"lease of {name}");
            Assert.Equal(name, lease!.Spec!.HolderIdentity);
            Assert.Equal(4, lease.Spec.LeaseDurationSeconds);
            Assert.Equal("Node", Assert.Single(lease.Metadata!.OwnerReferences!).Kind);
            first[name] = lease.Spec.RenewTime!.Value;
        }

        // Renewed every leaseDuration/4 = 1 s.
        foreach (var name in names)
        {
            await Eventually.TrueAsync(
                () => _client.GetAsync<Lease>("kube-node-lease", name).GetAwaiter().GetResult().Spec!.RenewTime > first[name],
                $"lease of {name} renewed", TimeSpan.FromSeconds(10));
        }
    }

    [Fact]
    public async Task Deleted_node_is_registered_again()
    {
        var agent = await StartAgentAsync(1);
        var name = agent.NodeNames.Single();
        string? uid = null;
        await Eventually.TrueAsync(() =>
        {
            try
            {
                uid = _client.GetAsync<Node>(null, name).GetAwaiter().GetResult().Metadata!.Uid;
                return true;
            }
            catch (KubeApiException e) when (e.IsNotFound)
            {
                return false;
            }
        }, "node registered");

        await _client.DeleteAsync<Node>(null, name);

        await Eventually.TrueAsync(() =>
        {
            try
            {
                var node = _client.GetAsync<Node>(null, name).GetAwaiter().GetResult();
                return node.Metadata!.Uid != uid && node.Status?.Conditions?.Any(c => c.Type == "Ready") == true;
            }
            catch (KubeApiException e) when (e.IsNotFound)
            {
                return false;
            }
        }, "node registered again");
    }

    [Fact]
    public async Task Pod_bound_to_a_node_runs_with_conditions_and_an_address_and_deleting_it_removes_it()
    {
        var agent = await StartAgentAsync(3);
        var node = agent.NodeNames.Order().ElementAt(1);
        var ns = await cluster.NewNamespaceAsync("run");
        await _client.CreateAsync(NewPod(ns, "web", node));

        var pod = await WaitForPodAsync(ns, "web", p => p.Status?.Phase == "Running" && p.Status.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true, "web Running and Ready");

        var types = pod.Status!.Conditions!.Select(c => c.Type).ToHashSet();
        Assert.Superset(new HashSet<string?> { "PodReadyToStartContainers", "Initialized", "ContainersReady", "Ready", "PodScheduled" }, types);
        Assert.StartsWith("10.244.1.", pod.Status.PodIP, StringComparison.Ordinal);
        Assert.Equal("127.0.0.1", pod.Status.HostIP);
        Assert.NotNull(pod.Status.StartTime);
        var container = Assert.Single(pod.Status.ContainerStatuses!);
        Assert.True(container.Ready);
        Assert.NotNull(container.State!.Running!.StartedAt);

        await _client.DeleteAsync<Pod>(ns, "web");
        await WaitForPodGoneAsync(ns, "web");
        await Eventually.TrueAsync(() => agent.FindWorker(ns, "web") is null, "worker removed");
    }

    [Fact]
    public async Task Process_runtime_runs_the_command_and_its_log_is_served_through_the_apiserver_and_kubectl()
    {
        var agent = await StartAgentAsync(1, runtime: "process");
        var node = agent.NodeNames.Single();
        var ns = await cluster.NewNamespaceAsync("proc");
        await _client.CreateAsync(NewPod(ns, "hello", node, command: ["sh", "-c", "echo hello; sleep 30"]));
        await WaitForPodAsync(ns, "hello", p => p.Status?.Phase == "Running", "hello Running");

        using var http = new HttpClient { BaseAddress = cluster.Url };
        string log = "";
        await Eventually.TrueAsync(() =>
        {
            log = http.GetStringAsync($"/api/v1/namespaces/{ns}/pods/hello/log").GetAwaiter().GetResult();
            return log.Length > 0;
        }, "log written");
        Assert.Equal("hello\n", log);

        if (File.Exists("/usr/bin/kubectl"))
        {
            var kubeconfig = cluster.WriteKubeconfig(ns);
            var home = Path.Combine(Path.GetTempPath(), $"mk-kubectl-{Guid.NewGuid():N}");
            Directory.CreateDirectory(home);
            var result = await ProcessRunner.RunAsync("/usr/bin/kubectl", ["logs", "hello", "--tail=5"], timeout: TimeSpan.FromSeconds(60),
                environment: new Dictionary<string, string> { ["KUBECONFIG"] = kubeconfig, ["HOME"] = home });
            Assert.True(result.ExitCode == 0, result.ToString());
            Assert.Equal("hello\n", result.StandardOutput);
        }

        // Graceful deletion: SIGTERM ends sh, then the agent deletes the pod for good.
        await _client.DeleteAsync<Pod>(ns, "hello");
        await WaitForPodGoneAsync(ns, "hello");
    }

    [Fact]
    public async Task Pod_whose_command_exits_1_with_restartPolicy_Never_fails_with_exit_code_1()
    {
        var agent = await StartAgentAsync(1, runtime: "process");
        var node = agent.NodeNames.Single();
        var ns = await cluster.NewNamespaceAsync("fail");
        await _client.CreateAsync(NewPod(ns, "job", node, restartPolicy: "Never", command: ["sh", "-c", "echo bye; exit 1"]));

        var pod = await WaitForPodAsync(ns, "job", p => p.Status?.Phase == "Failed", "job Failed");

        var terminated = Assert.Single(pod.Status!.ContainerStatuses!).State!.Terminated!;
        Assert.Equal(1, terminated.ExitCode);
        Assert.Equal("Error", terminated.Reason);
        Assert.Equal("False", pod.Status.Conditions!.Single(c => c.Type == "Ready").Status);
    }

    [Fact]
    public async Task Log_of_a_container_that_has_not_started_says_it_is_waiting()
    {
        var agent = await StartAgentAsync(1);
        var ns = await cluster.NewNamespaceAsync("wait");
        var pod = NewPod(ns, "slow", agent.NodeNames.Single());
        await _client.CreateAsync(pod);
        await Eventually.TrueAsync(() => agent.FindWorker(ns, "slow") is not null, "worker");

        // The agent's startup delay is 200 ms: right after the worker appears the container is still being created.
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{agent.Port}") };
        using var response = await http.GetAsync($"/containerLogs/{ns}/slow/other");
        Assert.Equal(400, (int)response.StatusCode);
        Assert.Equal("container \"other\" in pod \"slow\" is not available", await response.Content.ReadAsStringAsync());
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var agent in _agents)
        {
            await agent.DisposeAsync();
        }

        _client.Dispose();
    }
}
