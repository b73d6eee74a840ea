using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using MiniKube.Client.Config;

namespace MiniKube.Cli.Cluster;

/// <summary>
/// <c>mkctl up</c>, <c>down</c> and <c>status</c> for the cluster in one directory. Components start in dependency
/// order (store members, apiserver, then the kubeconfig users) and each must be healthy before the next starts, so a
/// failure names the component that failed and its log.
/// </summary>
public sealed class LocalCluster(ClusterDirectory dir, TextWriter output)
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(200);

    /// <summary>How long a component that has no health check must stay up to count as started: long enough for a
    /// .NET process on a loaded machine to get through its start-up and fail on bad flags or an unreachable apiserver.</summary>
    private static readonly TimeSpan SettleTime = TimeSpan.FromSeconds(5);

    public ClusterDirectory Directory => dir;

    /// <summary>Starts what is not running; a directory with a cluster.json keeps its ports, members and data.
    /// <paramref name="nodes"/>, <paramref name="runtime"/> and the leader election durations, when given, replace the
    /// recorded ones; the numbers of members, controller-managers and schedulers apply to a new directory.</summary>
    public async Task<ClusterState> UpAsync(
        int members, int? nodes, string? runtime, string? nodeMonitorGracePeriod, int? controllerManagers, int? schedulers, LeaderElectionDurations? leaderElection, TimeSpan timeout, CancellationToken cancellationToken)
    {
        System.IO.Directory.CreateDirectory(dir.Root);
        var state = dir.LoadState();
        if (state is null)
        {
            state = ClusterState.New(members, nodes ?? 3, runtime ?? "simulated", PickFreePort, controllerManagers ?? 1, schedulers ?? 1) with
            {
                NodeMonitorGracePeriod = nodeMonitorGracePeriod,
                LeaderElection = leaderElection,
            };
        }
        else
        {
            if (state.StoreMembers.Count() != members)
            {
                await output.WriteLineAsync($"note: {dir.Root} holds a {state.StoreMembers.Count()}-member store; keeping it (--members {members} applies to a new directory)").ConfigureAwait(false);
            }

            foreach (var (kind, wanted) in new[] { (ClusterState.ControllerManagerKind, controllerManagers), (ClusterState.SchedulerKind, schedulers) })
            {
                var recorded = state.Components.Count(c => c.Kind == kind);
                if (wanted is not null && recorded != wanted)
                {
                    await output.WriteLineAsync($"note: {dir.Root} holds {recorded} {kind}(s); keeping them (--{kind}s {wanted} applies to a new directory)").ConfigureAwait(false);
                }
            }

            state = state with
            {
                Nodes = nodes ?? state.Nodes,
                Runtime = runtime ?? state.Runtime,
                NodeMonitorGracePeriod = nodeMonitorGracePeriod ?? state.NodeMonitorGracePeriod,
                LeaderElection = leaderElection ?? state.LeaderElection,
            };
        }

        state.Save(dir.StatePath);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        using var probes = new ClusterProbes();
        try
        {
            // All members first: one alone has no quorum, so it cannot be healthy before the others run.
            var launchedMembers = new List<(ComponentState, (Process, Stopwatch))>();
            foreach (var member in state.StoreMembers)
            {
                if (await LaunchAsync(state, member, $"client {Show(member.ClientUrl!)}").ConfigureAwait(false) is { } started)
                {
                    launchedMembers.Add((member, started));
                }
            }

            foreach (var (member, started) in launchedMembers)
            {
                await WaitStartedAsync(state, member, started, () => probes.StoreHealthyAsync(member.ClientUrl!, deadline.Token), deadline.Token).ConfigureAwait(false);
            }

            await StartAsync(state, state.ApiServer, () => probes.ApiServerReadyAsync(state.ApiServerUrl, deadline.Token), $"serving {Show(state.ApiServerUrl)}", deadline.Token).ConfigureAwait(false);
            await File.WriteAllTextAsync(dir.KubeconfigPath, Kubeconfig.ForServer(state.ApiServerUrl, "mkctl").ToJson(), cancellationToken).ConfigureAwait(false);
            // They only need the apiserver, so they start together and then must all stay up.
            var launched = new List<(ComponentState, (Process, Stopwatch))>();
            foreach (var component in state.Components.Where(c => c.Kind is ClusterState.ControllerManagerKind or ClusterState.SchedulerKind or ClusterState.NodeAgentKind))
            {
                if (await LaunchAsync(state, component, "").ConfigureAwait(false) is { } started)
                {
                    launched.Add((component, started));
                }
            }

            foreach (var (component, started) in launched)
            {
                await WaitStartedAsync(state, component, started, null, deadline.Token).ConfigureAwait(false);
            }

            await WaitForNodesAsync(state, deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new ClusterException($"the cluster was not healthy within {timeout.TotalSeconds:0}s; see the logs in {dir.LogsDirectory} and ./mkctl status{DirFlag}");
        }

        await output.WriteLineAsync($"""

            The cluster is up: {state.StoreMembers.Count()} store member(s), the apiserver at {Show(state.ApiServerUrl)}, {state.Nodes} node(s) Ready.
              kubeconfig: {dir.KubeconfigPath}
              ./mkctl get nodes{DirFlag}              (mkctl finds the cluster in {dir.Root})
              kubectl --kubeconfig {dir.KubeconfigPath} get pods
              ./mkctl status{DirFlag}    ./mkctl down{DirFlag}    logs: {dir.LogsDirectory}
            """).ConfigureAwait(false);
        return state;
    }

    /// <summary>Stops every component (node agent first, store last), keeping cluster.json and the data.</summary>
    public async Task DownAsync(TimeSpan grace, CancellationToken cancellationToken)
    {
        var state = dir.RequireState();
        foreach (var component in Enumerable.Reverse(state.Components))
        {
            if (ComponentProcess.IsRunning(component.Pid, component.Kind))
            {
                var killed = await ComponentProcess.StopAsync(component.Pid!.Value, component.Kind, grace, cancellationToken).ConfigureAwait(false);
                await output.WriteLineAsync($"Stopped {component.Name} (pid {component.Pid}){(killed ? $": killed, it did not stop within {grace.TotalSeconds:0}s of SIGTERM" : "")}").ConfigureAwait(false);
            }

            component.Pid = null;
            state.Save(dir.StatePath);
        }

        await output.WriteLineAsync($"The cluster in {dir.Root} is down; its data stays there (./mkctl up{DirFlag} starts it again).").ConfigureAwait(false);
    }

    /// <summary>One row per component: name, pid, running or not, health, address; and which store member leads.</summary>
    public async Task<ClusterStatus> StatusAsync(CancellationToken cancellationToken)
    {
        var state = dir.RequireState();
        using var probes = new ClusterProbes();
        var rows = new List<ComponentStatus>();
        var leaseHolders = new Dictionary<string, string?>();
        foreach (var kind in new[] { ClusterState.ControllerManagerKind, ClusterState.SchedulerKind })
        {
            leaseHolders[kind] = await LeaseHolders.HolderIdentityAsync(state.ApiServerUrl, kind, cancellationToken).ConfigureAwait(false);
        }

        foreach (var c in state.Components)
        {
            var running = ComponentProcess.IsRunning(c.Pid, c.Kind);
            string health;
            string address;
            switch (c.Kind)
            {
                case ClusterState.StoreKind:
                    health = !running ? "-" : await probes.StoreHealthyAsync(c.ClientUrl!, cancellationToken).ConfigureAwait(false) ? "healthy" : "unhealthy";
                    address = Show(c.ClientUrl!);
                    break;
                case ClusterState.ApiServerKind:
                    health = !running ? "-" : await probes.ApiServerReadyAsync(state.ApiServerUrl, cancellationToken).ConfigureAwait(false) ? "ready" : "not ready";
                    address = Show(state.ApiServerUrl);
                    break;
                case ClusterState.NodeAgentKind:
                    var ready = running ? await ClusterProbes.ReadyNodesAsync(state.ApiServerUrl, state.NodeNamePrefix, cancellationToken).ConfigureAwait(false) : null;
                    health = !running ? "-" : ready is { } n ? $"{n}/{state.Nodes} nodes Ready" : "unknown";
                    address = $"{state.Runtime} runtime";
                    break;
                case ClusterState.ControllerManagerKind or ClusterState.SchedulerKind when running && leaseHolders[c.Kind] is { } holder:
                    health = LeaseHolders.IdentityFromLog(dir.LogPath(c.Name), c.Kind) == holder ? "running, leader" : "running, standby";
                    address = $"lease {LeaseHolders.LeaseNamespace}/{LeaseHolders.LeaseName(c.Kind)}";
                    break;
                default:
                    health = running ? "running" : "-";
                    address = "";
                    break;
            }

            rows.Add(new ComponentStatus(c.Name, running ? c.Pid : null, running, health, address));
        }

        var leaders = await ClusterProbes.StoreLeadersAsync(state.StoreMembers.Where(m => ComponentProcess.IsRunning(m.Pid, m.Kind)), cancellationToken).ConfigureAwait(false);
        return new ClusterStatus(dir.Root, rows, leaders);
    }

    /// <summary>
    /// Adds <paramref name="component"/> (a kubeconfig user: controller-manager, scheduler, node agent) to the running
    /// cluster's cluster.json and starts it without waiting for it to settle, so <c>down</c> stops it with the rest;
    /// returns its pid. The scheduler benchmark starts the scheduler this way once its nodes and pods exist.
    /// </summary>
    public async Task<int> AddAndLaunchAsync(ComponentState component)
    {
        var state = dir.RequireState();
        if (state.Components.Any(c => c.Name == component.Name))
        {
            throw new ClusterException($"{dir.StatePath} already has a component named {component.Name}");
        }

        state.Components.Add(component);
        state.Save(dir.StatePath);
        var started = await LaunchAsync(state, component, "").ConfigureAwait(false);
        return started?.Process.Id ?? throw new ClusterException($"{component.Name} did not start");
    }

    /// <summary>A port the OS just handed out for listening on loopback (and so free, barring a race).</summary>
    public static int PickFreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string Show(Uri url) => url.GetLeftPart(UriPartial.Authority);

    private string DirFlag => dir.Root == Path.GetFullPath(ClusterDirectory.DefaultName) ? "" : $" --dir {dir.Root}";

    private async Task StartAsync(ClusterState state, ComponentState component, Func<Task<bool>>? healthy, string detail, CancellationToken cancellationToken)
    {
        var started = await LaunchAsync(state, component, detail).ConfigureAwait(false);
        if (started is not null)
        {
            await WaitStartedAsync(state, component, started.Value, healthy, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Starts the component unless it runs already; the process and when it started, or null.</summary>
    private async Task<(Process Process, Stopwatch Since)?> LaunchAsync(ClusterState state, ComponentState component, string detail)
    {
        if (ComponentProcess.IsRunning(component.Pid, component.Kind))
        {
            await output.WriteLineAsync($"{component.Name} is already running (pid {component.Pid})").ConfigureAwait(false);
            return null;
        }

        var process = ComponentProcess.Start(ComponentArguments.For(component, state, dir), dir.LogPath(component.Name));
        component.Pid = process.Id;
        state.Save(dir.StatePath);
        await output.WriteLineAsync($"Starting {component.Name} (pid {process.Id}{(detail.Length > 0 ? ", " + detail : "")}) …").ConfigureAwait(false);
        return (process, Stopwatch.StartNew());
    }

    /// <summary>Until <paramref name="healthy"/> says so, or, without a health check, until the process has stayed up
    /// for <see cref="SettleTime"/>; a process that exits first fails up with the end of its log.</summary>
    private async Task WaitStartedAsync(ClusterState state, ComponentState component, (Process Process, Stopwatch Since) started, Func<Task<bool>>? healthy, CancellationToken cancellationToken)
    {
        var (process, since) = started;
        while (true)
        {
            if (process.HasExited)
            {
                component.Pid = null;
                state.Save(dir.StatePath);
                var log = dir.LogPath(component.Name);
                var tail = ComponentProcess.Tail(log, 15);
                throw new ClusterException(
                    $"{component.Name} exited with code {process.ExitCode} while starting; its log is {log}" +
                    (tail.Length > 0 ? $", which ends with:\n    {tail.Replace("\n", "\n    ", StringComparison.Ordinal)}" : "") +
                    $"\n(the components started before it still run: ./mkctl status{DirFlag}, ./mkctl down{DirFlag})");
            }

            if (healthy is null ? since.Elapsed >= SettleTime : await healthy().ConfigureAwait(false))
            {
                return;
            }

            await Task.Delay(Poll, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task WaitForNodesAsync(ClusterState state, CancellationToken cancellationToken)
    {
        int? last = null;
        while (true)
        {
            var ready = await ClusterProbes.ReadyNodesAsync(state.ApiServerUrl, state.NodeNamePrefix, cancellationToken).ConfigureAwait(false) ?? 0;
            if (ready != last)
            {
                await output.WriteLineAsync($"{ready}/{state.Nodes} nodes Ready").ConfigureAwait(false);
                last = ready;
            }

            if (ready >= state.Nodes)
            {
                return;
            }

            foreach (var c in state.Components.Where(c => !ComponentProcess.IsRunning(c.Pid, c.Kind)))
            {
                throw new ClusterException($"{c.Name} stopped while waiting for the nodes; its log is {dir.LogPath(c.Name)}:\n    {ComponentProcess.Tail(dir.LogPath(c.Name), 15).Replace("\n", "\n    ", StringComparison.Ordinal)}");
            }

            await Task.Delay(Poll, cancellationToken).ConfigureAwait(false);
        }
    }
}
