using System.CommandLine;
using MiniKube.Etcd.Api;
using Spectre.Console;

namespace MiniKube.Cli.Cluster;

/// <summary><c>mkctl up</c>, <c>mkctl down</c>, <c>mkctl status</c>: a local cluster of detached processes.</summary>
public static class ClusterCommands
{
    public static IReadOnlyList<Command> Create() => [Up(), Down(), Status()];

    /// <summary>--dir, as every mkctl command that reaches the local cluster takes it.</summary>
    public static Option<string?> DirOption() => new("--dir")
    {
        Description = $"The local cluster's directory, as given to mkctl up (default: {ClusterDirectory.DefaultName} in the working directory).",
    };

    private static Command Up()
    {
        var dir = DirOption();
        var members = new Option<int>("--members") { Description = "Store members (a new cluster only).", DefaultValueFactory = _ => 3 };
        var nodes = new Option<int?>("--nodes") { Description = "Nodes the node agent runs (default: 3, or what the directory recorded)." };
        var runtime = new Option<string?>("--runtime") { Description = "The node agent's container runtime: simulated or process (default: simulated)." };
        runtime.AcceptOnlyFromAmong("simulated", "process");
        var grace = new Option<string?>("--node-monitor-grace-period") { Description = "Passed to the controller-manager: how long a node may miss heartbeats before it is unreachable (default: its own, 40s)." };
        var timeout = new Option<string>("--wait") { Description = "How long to wait for every component to be healthy.", DefaultValueFactory = _ => "2m" };
        var controllerManagers = new Option<int?>("--controller-managers") { Description = "Controller-managers (a new cluster only; default 1): one leads through the kube-system Lease kube-controller-manager, the others stand by." };
        var schedulers = new Option<int?>("--schedulers") { Description = "Schedulers (a new cluster only; default 1): one leads through the kube-system Lease kube-scheduler, the others stand by." };
        var leaseDuration = new Option<string?>("--leader-elect-lease-duration") { Description = "Passed to the controller-managers and schedulers: how long a standby waits after the last renewal before taking over (default: theirs, 15s)." };
        var renewDeadline = new Option<string?>("--leader-elect-renew-deadline") { Description = "Passed to the controller-managers and schedulers: how long the leader retries renewing before it stops leading (default: theirs, 10s)." };
        var retryPeriod = new Option<string?>("--leader-elect-retry-period") { Description = "Passed to the controller-managers and schedulers: between tries to acquire or renew the lease (default: theirs, 2s)." };
        var command = new Command("up", "Start a local cluster (store members, apiserver, controller-manager, scheduler, node agent) as background processes.")
        {
            dir, members, nodes, runtime, grace, timeout, controllerManagers, schedulers, leaseDuration, renewDeadline, retryPeriod,
        };
        command.SetAction((parse, ct) => RunAsync(parse, async (output, token) =>
        {
            if (parse.GetValue(members) < 1 || parse.GetValue(nodes) < 0)
            {
                throw new ClusterException("--members must be at least 1 and --nodes at least 0");
            }

            if (parse.GetValue(controllerManagers) < 1 || parse.GetValue(schedulers) < 1)
            {
                throw new ClusterException("--controller-managers and --schedulers must be at least 1");
            }

            var durations = new LeaderElectionDurations(parse.GetValue(leaseDuration), parse.GetValue(renewDeadline), parse.GetValue(retryPeriod));
            foreach (var given in new[] { durations.LeaseDuration, durations.RenewDeadline, durations.RetryPeriod }.OfType<string>())
            {
                Duration(given); // a typo fails here, not in every component's log
            }

            var cluster = new LocalCluster(ClusterDirectory.Find(parse.GetValue(dir)), output);
            await cluster.UpAsync(
                parse.GetValue(members), parse.GetValue(nodes), parse.GetValue(runtime), parse.GetValue(grace), parse.GetValue(controllerManagers), parse.GetValue(schedulers),
                durations.Arguments().Any() ? durations : null, Duration(parse.GetValue(timeout)!), token).ConfigureAwait(false);
            return 0;
        }, ct));
        return command;
    }

    private static Command Down()
    {
        var dir = DirOption();
        var grace = new Option<string>("--grace-period") { Description = "How long each component has to stop after SIGTERM before SIGKILL.", DefaultValueFactory = _ => "10s" };
        var command = new Command("down", "Stop the local cluster's processes, keeping its data.") { dir, grace };
        command.SetAction((parse, ct) => RunAsync(parse, async (output, token) =>
        {
            await new LocalCluster(ClusterDirectory.Find(parse.GetValue(dir)), output).DownAsync(Duration(parse.GetValue(grace)!), token).ConfigureAwait(false);
            return 0;
        }, ct));
        return command;
    }

    private static Command Status()
    {
        var dir = DirOption();
        var command = new Command("status", "Show the local cluster's components: pid, health, address, and the store's leader.") { dir };
        command.SetAction((parse, ct) => RunAsync(parse, async (output, token) =>
        {
            var status = await new LocalCluster(ClusterDirectory.Find(parse.GetValue(dir)), output).StatusAsync(token).ConfigureAwait(false);
            Print(status, output);
            return status.AllRunning ? 0 : 1;
        }, ct));
        return command;
    }

    /// <summary>A Spectre table, plain when the output is not a terminal so that scripts and tests can read it.</summary>
    public static void Print(ClusterStatus status, TextWriter output)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = output == Console.Out && !Console.IsOutputRedirected ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = ColorSystemSupport.Detect,
        });
        if (console.Profile.Width < 100)
        {
            console.Profile.Width = 120;
        }

        var table = new Table().Border(TableBorder.Rounded).Title($"cluster in {Markup.Escape(status.Directory)}");
        foreach (var column in new[] { "COMPONENT", "PID", "STATE", "HEALTH", "ADDRESS" })
        {
            table.AddColumn(column);
        }

        foreach (var c in status.Components)
        {
            table.AddRow(
                Markup.Escape(c.Name),
                c.Pid?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-",
                c.Running ? "[green]running[/]" : "[red]stopped[/]",
                Markup.Escape(c.Health),
                Markup.Escape(c.Address));
        }

        console.Write(table);
        console.WriteLine(status.StoreLeaders.Count switch
        {
            0 => "store leader: none (no member answers as leader)",
            1 => $"store leader: {status.StoreLeaders[0]}",
            _ => $"store leader: several members claim it ({string.Join(", ", status.StoreLeaders)})",
        });
    }

    private static TimeSpan Duration(string text)
    {
        try
        {
            return GoDuration.Parse(text);
        }
        catch (FormatException e)
        {
            throw new ClusterException(e.Message, e);
        }
    }

    private static async Task<int> RunAsync(ParseResult parse, Func<TextWriter, CancellationToken, Task<int>> body, CancellationToken cancellationToken)
    {
        try
        {
            return await body(parse.InvocationConfiguration.Output, cancellationToken).ConfigureAwait(false);
        }
        catch (ClusterException e)
        {
            await parse.InvocationConfiguration.Error.WriteLineAsync($"error: {e.Message}").ConfigureAwait(false);
            return 1;
        }
    }
}
