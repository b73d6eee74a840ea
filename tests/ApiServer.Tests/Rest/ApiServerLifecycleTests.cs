using System.Globalization;
using System.Text.RegularExpressions;
using MiniKube.Etcd.Client;
using MiniKube.Testing;

namespace MiniKube.ApiServer.Tests.Rest;

/// <summary>Behaviour that needs servers of its own: the store going away, compaction, the watch cache's fan-out.</summary>
public sealed partial class ApiServerLifecycleTests
{
    [Fact]
    public async Task Readyz_fails_while_the_store_is_unreachable_and_livez_does_not()
    {
        await using var store = await MiniKubeStore.StartAsync();
        await using var host = await ApiServerHost.StartAsync(new ApiServerOptions { EtcdServers = [store.ClientUrl], InsecurePort = 0, CompactionInterval = TimeSpan.Zero });
        using var http = new HttpClient { BaseAddress = host.Url, Timeout = TimeSpan.FromSeconds(20) };
        Assert.Equal(200, (int)(await http.GetAsync("/readyz")).StatusCode);
        store.Process.Pause();
        try
        {
            // SIGSTOP lands asynchronously: a thread already running may answer once more.
            var ready = await http.GetAsync("/readyz");
            for (var i = 0; i < 10 && (int)ready.StatusCode == 200; i++)
            {
                await Task.Delay(200);
                ready = await http.GetAsync("/readyz");
            }

            Assert.Equal(500, (int)ready.StatusCode);
            Assert.Contains("[-]etcd failed", await ready.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            Assert.Equal(200, (int)(await http.GetAsync("/livez")).StatusCode);
        }
        finally
        {
            store.Process.Resume();
        }

        Assert.Equal(200, (int)(await http.GetAsync("/readyz")).StatusCode);
    }

    [Fact]
    public async Task Compaction_rounds_compact_to_the_revision_seen_one_round_earlier()
    {
        await using var store = await MiniKubeStore.StartAsync();
        await using var client = new EtcdClient(new EtcdClientOptions { Endpoints = [store.ClientUrl] });
        await client.PutAsync("/registry/a", "1");
        var (version, seen) = await Compactor.CompactAsync(client, 0, 0, CancellationToken.None);
        Assert.Equal(1, version);
        await client.PutAsync("/registry/a", "2");
        await client.PutAsync("/registry/a", "3");

        // A second apiserver that lost the race sees the key's version and does not compact.
        var (otherVersion, _) = await Compactor.CompactAsync(client, 0, seen, CancellationToken.None);
        Assert.Equal(1, otherVersion);
        (version, _) = await Compactor.CompactAsync(client, version, seen, CancellationToken.None);
        Assert.Equal(2, version);
        await Assert.ThrowsAsync<EtcdCompactedException>(() => client.GetAsync("/registry/a", new GetOptions { Revision = seen - 1 }));
        var atSeen = await client.GetAsync("/registry/a", new GetOptions { Revision = seen });
        Assert.Equal("1", atSeen.Kvs[0].Value.ToStringUtf8());
    }

    [Fact]
    public async Task A_hundred_watches_through_the_apiserver_cost_the_store_no_more_watchers()
    {
        await using var store = await MiniKubeStore.StartAsync();
        await using var host = await ApiServerHost.StartAsync(new ApiServerOptions { EtcdServers = [store.ClientUrl], InsecurePort = 0, CompactionInterval = TimeSpan.Zero });
        using var http = new HttpClient { BaseAddress = host.Url, Timeout = Timeout.InfiniteTimeSpan };
        using var metrics = new HttpClient { BaseAddress = store.ClientUrl };
        var before = await StoreWatchersAsync(metrics);

        using var stop = new CancellationTokenSource();
        var responses = new List<HttpResponseMessage>();
        for (var i = 0; i < 100; i++)
        {
            responses.Add(await http.GetAsync("/api/v1/pods?watch=true", HttpCompletionOption.ResponseHeadersRead, stop.Token));
        }

        Assert.All(responses, r => Assert.Equal(200, (int)r.StatusCode));
        var during = await StoreWatchersAsync(metrics);
        Assert.True(during - before <= 1, $"the store had {before} watchers before and {during} with 100 apiserver watches open");
        foreach (var response in responses)
        {
            response.Dispose();
        }
    }

    private static async Task<long> StoreWatchersAsync(HttpClient metrics)
    {
        var text = await metrics.GetStringAsync("/metrics");
        var match = WatcherTotal().Match(text);
        Assert.True(match.Success, "etcd_debugging_mvcc_watcher_total missing from the store's metrics");
        return (long)double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
    }

    [GeneratedRegex(@"^etcd_debugging_mvcc_watcher_total (\S+)$", RegexOptions.Multiline)]
    private static partial Regex WatcherTotal();
}
