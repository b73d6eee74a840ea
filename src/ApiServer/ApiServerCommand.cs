using System.CommandLine;
using MiniKube.Etcd.Api;

namespace MiniKube.ApiServer;

/// <summary>
/// <c>mkctl apiserver</c> (and the apiserver's own executable): serves the Kubernetes API over the
/// store in the foreground until SIGTERM or Ctrl+C. Flags are kube-apiserver's.
/// </summary>
public static class ApiServerCommand
{
    public static Command Create(string name = "apiserver")
    {
        var etcdServers = new Option<string>("--etcd-servers") { Description = "List of etcd servers to connect with (scheme://ip:port), comma separated.", DefaultValueFactory = _ => "http://127.0.0.1:2379" };
        var etcdPrefix = new Option<string>("--etcd-prefix") { Description = "The prefix to prepend to all resource paths in etcd.", DefaultValueFactory = _ => "/registry" };
        var bindAddress = new Option<string>("--bind-address") { Description = "The IP address on which to listen.", DefaultValueFactory = _ => "127.0.0.1" };
        var insecurePort = new Option<int>("--insecure-port") { Description = "The port on which to serve unsecured, unauthenticated access (0 picks a free port).", DefaultValueFactory = _ => 8080 };
        var compaction = new Option<string>("--etcd-compaction-interval") { Description = "The interval of compaction requests. If 0, the compaction request from apiserver is disabled.", DefaultValueFactory = _ => "5m0s" };
        var watchCache = new Option<bool>("--watch-cache") { Description = "Enable watch caching in the apiserver.", DefaultValueFactory = _ => true };
        var command = new Command(name, "Run the Kubernetes API server over the store in the foreground.");
        var notReadySeconds = new Option<long>("--default-not-ready-toleration-seconds") { Description = "Indicates the tolerationSeconds of the toleration for notReady:NoExecute that is added by default to every pod that does not already have such a toleration.", DefaultValueFactory = _ => 300 };
        var unreachableSeconds = new Option<long>("--default-unreachable-toleration-seconds") { Description = "Indicates the tolerationSeconds of the toleration for unreachable:NoExecute that is added by default to every pod that does not already have such a toleration.", DefaultValueFactory = _ => 300 };
        foreach (var option in new Option[] { etcdServers, etcdPrefix, bindAddress, insecurePort, compaction, watchCache, notReadySeconds, unreachableSeconds })
        {
            command.Options.Add(option);
        }

        command.SetAction(async (parse, cancellationToken) =>
        {
            ApiServerOptions options;
            try
            {
                options = new ApiServerOptions
                {
                    EtcdServers = [.. parse.GetValue(etcdServers)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(ParseUrl)],
                    EtcdPrefix = parse.GetValue(etcdPrefix)!,
                    BindAddress = parse.GetValue(bindAddress)!,
                    InsecurePort = parse.GetValue(insecurePort),
                    CompactionInterval = GoDuration.Parse(parse.GetValue(compaction)!),
                    WatchCache = parse.GetValue(watchCache),
                    DefaultNotReadyTolerationSeconds = parse.GetValue(notReadySeconds),
                    DefaultUnreachableTolerationSeconds = parse.GetValue(unreachableSeconds),
                };
                options.Validate();
                // The admission plugin is process-wide; the command runs one apiserver per process.
                Admission.DefaultTolerationSeconds.Configure(options.DefaultNotReadyTolerationSeconds, options.DefaultUnreachableTolerationSeconds);
            }
            catch (Exception e) when (e is ArgumentException or FormatException)
            {
                await Console.Error.WriteLineAsync($"Error: {e.Message}").ConfigureAwait(false);
                return 1;
            }

            await using var host = await TryStartAsync(options, cancellationToken).ConfigureAwait(false);
            if (host is null)
            {
                return 1;
            }

            await Console.Out.WriteLineAsync($"apiserver serving on {host.Url} (store: {string.Join(",", options.EtcdServers)}, prefix {options.EtcdPrefix})").ConfigureAwait(false);
            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }

            return 0;
        });
        return command;
    }

    private static Uri ParseUrl(string text)
        => Uri.TryCreate(text, UriKind.Absolute, out var uri) ? uri : throw new ArgumentException($"--etcd-servers: \"{text}\" is not a URL");

    private static async Task<ApiServerHost?> TryStartAsync(ApiServerOptions options, CancellationToken cancellationToken)
    {
        try
        {
            return await ApiServerHost.StartAsync(options, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (IOException e)
        {
            await Console.Error.WriteLineAsync($"Error: failed to listen on {options.BindAddress}:{options.InsecurePort}: {e.Message}").ConfigureAwait(false);
            return null;
        }
    }
}
