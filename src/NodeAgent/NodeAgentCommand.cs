using System.CommandLine;
using MiniKube.Api.Quantities;
using MiniKube.Client;
using MiniKube.Client.Config;
using MiniKube.Etcd.Api;

namespace MiniKube.NodeAgent;

/// <summary><c>mkctl node-agent</c>: Run simulated nodes (a kubelet each) in the foreground.</summary>
public static partial class NodeAgentCommand
{
    public static Command Create()
    {
        var kubeconfig = new Option<string?>("--kubeconfig") { Description = "Path to a kubeconfig file, specifying how to connect to the API server." };
        var nodes = new Option<int>("--nodes") { Description = "How many nodes this process runs.", DefaultValueFactory = _ => 1 };
        var prefix = new Option<string>("--node-name-prefix") { Description = "Nodes are named <prefix>1 … <prefix>N.", DefaultValueFactory = _ => "node-" };
        var runtime = new Option<string>("--runtime") { Description = "simulated (containers only pretend to run) or process (a container's command runs as a child process).", DefaultValueFactory = _ => "simulated" };
        var cpu = new Option<string>("--cpu") { Description = "Each node's cpu capacity.", DefaultValueFactory = _ => "4" };
        var memory = new Option<string>("--memory") { Description = "Each node's memory capacity.", DefaultValueFactory = _ => "8Gi" };
        var maxPods = new Option<int>("--max-pods") { Description = "Number of Pods that can run on each node.", DefaultValueFactory = _ => 110 };
        var startupDelay = new Option<string>("--startup-delay") { Description = "How long a container takes to start.", DefaultValueFactory = _ => "1s" };
        var statusFrequency = new Option<string>("--node-status-update-frequency") { Description = "How often the node status is computed (and written when it changed).", DefaultValueFactory = _ => "10s" };
        var leaseDuration = new Option<int>("--node-lease-duration-seconds") { Description = "The duration of the node Leases; they are renewed every quarter of it.", DefaultValueFactory = _ => 40 };
        var port = new Option<int>("--port") { Description = "The port of the agent's HTTP server (containerLogs); 0 picks a free one.", DefaultValueFactory = _ => 0 };
        var podCidr = new Option<string>("--pod-cidr") { Description = "The range of pod IPs; node i gets the i-th /24 of it.", DefaultValueFactory = _ => "10.244.0.0/16" };
        var command = new Command("node-agent", "Run simulated nodes (a kubelet each) in the foreground.");
        foreach (var option in new Option[] { kubeconfig, nodes, prefix, runtime, cpu, memory, maxPods, startupDelay, statusFrequency, leaseDuration, port, podCidr })
        {
            command.Options.Add(option);
        }

        command.SetAction(async (parse, cancellationToken) =>
        {
            NodeAgentOptions options;
            KubeClient client;
            try
            {
                options = new NodeAgentOptions
                {
                    Nodes = parse.GetValue(nodes),
                    NodeNamePrefix = parse.GetValue(prefix)!,
                    Runtime = parse.GetValue(runtime)!,
                    Cpu = ParseQuantity("--cpu", parse.GetValue(cpu)!),
                    Memory = ParseQuantity("--memory", parse.GetValue(memory)!),
                    MaxPods = parse.GetValue(maxPods),
                    StartupDelay = ParseDuration("--startup-delay", parse.GetValue(startupDelay)!),
                    NodeStatusUpdateFrequency = ParseDuration("--node-status-update-frequency", parse.GetValue(statusFrequency)!),
                    NodeLeaseDurationSeconds = parse.GetValue(leaseDuration),
                    Port = parse.GetValue(port),
                    PodCidr = parse.GetValue(podCidr)!,
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
                await using var host = await NodeAgentHost.StartAsync(options, client, cancellationToken: cancellationToken).ConfigureAwait(false);
                await Console.Out.WriteLineAsync(
                    $"node-agent running {options.Nodes} node(s) {options.NodeName(0)}…{options.NodeName(options.Nodes - 1)} ({options.Runtime} runtime), serving on 127.0.0.1:{host.Port}")
                    .ConfigureAwait(false);
                try
                {
                    await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                }
            }

            return 0;
        });
        return command;
    }

    private static Quantity ParseQuantity(string flag, string text) =>
        Quantity.TryParse(text, out var q, out var error) ? q : throw new ArgumentException($"{flag}: {error}");

    /// <summary>Go's duration syntax as the kubelet's flags take it ("1s", "500ms", "1m30s").</summary>
    public static TimeSpan ParseDuration(string flag, string text)
    {
        try
        {
            return GoDuration.Parse(text);
        }
        catch (FormatException e)
        {
            throw new FormatException($"{flag}: {e.Message}", e);
        }
    }
}
