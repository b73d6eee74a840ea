using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using MiniKube.Api.Resources;
using MiniKube.Cli.Cluster;
using MiniKube.Client;

namespace MiniKube.Cli.Bench.E2e;

/// <summary>What the cluster benchmarks (<c>bench e2e</c>, <c>bench scheduler</c>) share: their namespace, the pod watch, the teardown.</summary>
public static class ClusterBench
{
    /// <summary>Creates <paramref name="name"/> unless it exists already.</summary>
    public static async Task EnsureNamespaceAsync(KubeClient client, string name, CancellationToken cancellationToken)
    {
        var body = new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Namespace", ["metadata"] = new JsonObject { ["name"] = name } };
        try
        {
            await client.CreateAsync(ApiResources.Namespaces, null, body, cancellationToken).ConfigureAwait(false);
        }
        catch (KubeApiException e) when (e.Reason == "AlreadyExists")
        {
        }
    }

    /// <summary>
    /// Feeds the watch of the pods in <paramref name="namespace"/> into <paramref name="timeline"/> until
    /// <paramref name="done"/>, asked after each pod event, says so (true) or the token fires (false). A watch the
    /// server ends is resumed from the last resourceVersion seen, as a reflector would. Every 5 s
    /// <paramref name="progress"/> goes to <paramref name="log"/>.
    /// </summary>
    public static async Task<bool> WatchPodsUntilAsync(KubeClient client, string @namespace, string? labelSelector, string resourceVersion, PodTimeline timeline,
        Stopwatch clock, TextWriter log, Func<bool> done, Func<string> progress, CancellationToken cancellationToken)
    {
        var reported = TimeSpan.Zero;
        try
        {
            while (true)
            {
                var options = new ListOptions { LabelSelector = labelSelector, ResourceVersion = resourceVersion, AllowWatchBookmarks = true };
                await foreach (var e in client.WatchAsync(ApiResources.Pods, @namespace, options, cancellationToken).ConfigureAwait(false))
                {
                    var at = clock.Elapsed;
                    if (e.Type == Api.Meta.WatchEvent.Error)
                    {
                        throw new KubeApiException($"the pod watch failed: {e.Object?.ToJsonString()}");
                    }

                    if (e.Object is not JsonObject pod || pod["metadata"] is not JsonObject metadata)
                    {
                        continue;
                    }

                    resourceVersion = (string?)metadata["resourceVersion"] ?? resourceVersion;
                    if (e.Type == Api.Meta.WatchEvent.Bookmark || (string?)metadata["name"] is not { } name)
                    {
                        continue;
                    }

                    timeline.Observe(name, (string?)pod["spec"]?["nodeName"], (string?)pod["status"]?["phase"], at);
                    if (done())
                    {
                        return true;
                    }

                    if (at - reported >= TimeSpan.FromSeconds(5))
                    {
                        reported = at;
                        await log.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{at.TotalSeconds,6:F1}s: {progress()}")).ConfigureAwait(false);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    /// <summary>
    /// Stops the cluster and removes its <paramref name="temporary"/> directory, or with <paramref name="keep"/> leaves
    /// it running and says how to reach it.
    /// </summary>
    public static async Task TearDownAsync(LocalCluster cluster, bool keep, bool temporary, TextWriter log)
    {
        var root = cluster.Directory.Root;
        if (!keep && cluster.Directory.Exists)
        {
            await cluster.DownAsync(TimeSpan.FromSeconds(10), CancellationToken.None).ConfigureAwait(false);
            if (temporary)
            {
                Directory.Delete(root, recursive: true);
            }
        }
        else if (keep)
        {
            await log.WriteLineAsync($"The cluster keeps running: ./mkctl status --dir {root}, ./mkctl down --dir {root}").ConfigureAwait(false);
        }
    }
}
