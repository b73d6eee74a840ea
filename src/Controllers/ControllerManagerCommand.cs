using System.CommandLine;
using MiniKube.Client;
using MiniKube.Client.Config;
using MiniKube.Controllers.Common;

namespace MiniKube.Controllers;

/// <summary><c>mkctl controller-manager</c>: Run the controllers (deployment, replicaset, garbage collector, node lifecycle) in the foreground.</summary>
public static class ControllerManagerCommand
{
    public static Command Create()
    {
        var command = new Command("controller-manager", "Run the controllers (deployment, replicaset, garbage collector, node lifecycle) in the foreground.");
        var kubeconfig = new Option<string?>("--kubeconfig") { Description = "Path to kubeconfig file with authorization and master location information." };
        var leaderElect = new Option<bool>("--leader-elect") { Description = "Start a leader election client and gain leadership before executing the main loop.", DefaultValueFactory = _ => true };
        var leaseDuration = new Option<string>("--leader-elect-lease-duration") { Description = "The duration that non-leader candidates will wait after observing a leadership renewal until attempting to acquire leadership.", DefaultValueFactory = _ => "15s" };
        var renewDeadline = new Option<string>("--leader-elect-renew-deadline") { Description = "The interval between attempts by the acting master to renew a leadership slot before it stops leading.", DefaultValueFactory = _ => "10s" };
        var retryPeriod = new Option<string>("--leader-elect-retry-period") { Description = "The duration the clients should wait between attempting acquisition and renewal of a leadership.", DefaultValueFactory = _ => "2s" };
        var deploymentSyncs = new Option<int>("--concurrent-deployment-syncs") { Description = "The number of deployment objects that are allowed to sync concurrently.", DefaultValueFactory = _ => 5 };
        var replicaSetSyncs = new Option<int>("--concurrent-replicaset-syncs") { Description = "The number of replica sets that are allowed to sync concurrently.", DefaultValueFactory = _ => 5 };
        var gcSyncs = new Option<int>("--concurrent-gc-syncs") { Description = "The number of garbage collector workers that are allowed to sync concurrently.", DefaultValueFactory = _ => 20 };
        var grace = new Option<string>("--node-monitor-grace-period") { Description = "Amount of time which we allow running Node to be unresponsive before marking it unhealthy.", DefaultValueFactory = _ => "40s" };
        var controllers = new Option<string>("--controllers") { Description = "A list of controllers to enable. '*' enables all on-by-default controllers, 'foo' enables the controller named 'foo', '-foo' disables the controller named 'foo'.", DefaultValueFactory = _ => "*" };
        foreach (var option in new Option[] { kubeconfig, leaderElect, leaseDuration, renewDeadline, retryPeriod, deploymentSyncs, replicaSetSyncs, gcSyncs, grace, controllers })
        {
            command.Options.Add(option);
        }

        command.SetAction(async (parse, cancellationToken) =>
        {
            ControllerManagerOptions options;
            KubeClient client;
            try
            {
                options = new ControllerManagerOptions
                {
                    LeaderElect = parse.GetValue(leaderElect),
                    LeaseDuration = Durations.Parse(parse.GetValue(leaseDuration)!),
                    RenewDeadline = Durations.Parse(parse.GetValue(renewDeadline)!),
                    RetryPeriod = Durations.Parse(parse.GetValue(retryPeriod)!),
                    ConcurrentDeploymentSyncs = parse.GetValue(deploymentSyncs),
                    ConcurrentReplicaSetSyncs = parse.GetValue(replicaSetSyncs),
                    ConcurrentGcSyncs = parse.GetValue(gcSyncs),
                    NodeMonitorGracePeriod = Durations.Parse(parse.GetValue(grace)!),
                    Controllers = [.. parse.GetValue(controllers)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)],
                };
                options.Validate();
                client = KubeClient.FromKubeconfig(parse.GetValue(kubeconfig));
            }
            catch (Exception e) when (e is ArgumentException or FormatException or KubeconfigException)
            {
                await Console.Error.WriteLineAsync($"Error: {e.Message}").ConfigureAwait(false);
                return 1;
            }

            using (client)
            {
                await Console.Error.WriteLineAsync($"controller-manager {options.Identity} against {client.Config.Server}").ConfigureAwait(false);
                return await new ControllerManager(client, options).RunAsync(cancellationToken).ConfigureAwait(false);
            }
        });
        return command;
    }
}
