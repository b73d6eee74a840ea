using System.Collections.Concurrent;
using Microsoft.Extensions.Time.Testing;
using MiniKube.Api.Core;
using MiniKube.Api.Selectors;
using MiniKube.Client.Cache;

using MiniKube.Testing.Cluster;

namespace MiniKube.Client.Tests.Integration;

/// <summary>Informers against a real apiserver; the restart test stops the shared apiserver, so these tests
/// live in a class (a fixture) of their own.</summary>
public sealed class InformerTests(ClusterFixture cluster) : IClassFixture<ClusterFixture>
{
    private const int Seed = 1234;

    private static ReflectorOptions Options(string ns) => new()
    {
        Namespace = ns,
        BackoffInitial = TimeSpan.FromMilliseconds(100),
        BackoffMax = TimeSpan.FromSeconds(1),
        Seed = Seed,
    };

    [Fact]
    public async Task Informer_tells_every_handler_of_adds_updates_and_deletes_and_its_lister_follows()
    {
        var ns = await cluster.NewNamespaceAsync("inf");
        using var client = cluster.NewClient();
        await client.CreateAsync(KubeClientTests.ConfigMap(ns, "before", "0", new() { ["app"] = "a" }));
        await using var informer = new SharedInformer<ConfigMap>(client, Options(ns));
        var log1 = new ConcurrentQueue<string>();
        var log2 = new ConcurrentQueue<string>();
        informer.AddEventHandler(
            c => log1.Enqueue($"add {c.Metadata!.Name}"),
            (o, n) => log1.Enqueue($"update {n.Metadata!.Name} {o.Data!["value"]}->{n.Data!["value"]}"),
            c => log1.Enqueue($"delete {c.Metadata!.Name}"));

        informer.Start();
        Assert.True(await informer.WaitForCacheSyncAsync(new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token));
        informer.AddEventHandler(c => log2.Enqueue($"add {c.Metadata!.Name}"), null, c => log2.Enqueue($"delete {c.Metadata!.Name}"));

        var cm = await client.CreateAsync(KubeClientTests.ConfigMap(ns, "x", "1", new() { ["app"] = "b" }));
        cm.Data!["value"] = "2";
        await client.UpdateAsync(cm);
        await client.DeleteAsync<ConfigMap>(ns, "before");
        await Eventually.TrueAsync(() => log1.Count == 4 && log2.Count == 3, "the handlers to see every change");

        Assert.Equal(["add before", "add x", "update x 1->2", "delete before"], log1);
        Assert.Equal(["add before", "add x", "delete before"], log2);
        Assert.Equal("2", informer.Lister.Get(ns, "x")!.Data!["value"]);
        Assert.Null(informer.Lister.Get(ns, "before"));
        Assert.Single(informer.Lister.List(ns, Selector.Parse("app=b")));
        Assert.Empty(informer.Lister.List(ns, Selector.Parse("app=a")));
    }

    [Fact]
    public async Task WaitForCacheSync_returns_only_once_every_handler_has_been_handed_the_first_list()
    {
        var ns = await cluster.NewNamespaceAsync("handsync");
        using var client = cluster.NewClient();
        for (var i = 0; i < 5; i++)
        {
            await client.CreateAsync(KubeClientTests.ConfigMap(ns, $"cm-{i}", "0"));
        }

        await using var informer = new SharedInformer<ConfigMap>(client, Options(ns));
        var seen = new ConcurrentQueue<string>();
        // A slow handler: were the wait to end when the cache alone is filled, it would have seen at most one.
        informer.AddEventHandler(c =>
        {
            Thread.Sleep(100);
            seen.Enqueue(c.Metadata!.Name!);
        });

        informer.Start();
        Assert.True(await informer.WaitForCacheSyncAsync(new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token));

        Assert.Equal(5, seen.Count);
    }

    [Fact]
    public async Task Reflector_relists_after_the_apiserver_restarts_and_the_store_compacted_past_its_watch()
    {
        var ns = await cluster.NewNamespaceAsync("gone");
        using var client = cluster.NewClient();
        await client.CreateAsync(KubeClientTests.ConfigMap(ns, "keep", "1"));
        await client.CreateAsync(KubeClientTests.ConfigMap(ns, "drop", "1"));
        var errors = new ConcurrentQueue<Exception>();
        // The apiserver lets open watches finish before it stops (up to Kestrel's 30 s), so watches here are short.
        await using var informer = new SharedInformer<ConfigMap>(client, Options(ns) with { OnError = errors.Enqueue, MinWatchTimeout = TimeSpan.FromSeconds(1) });
        var deletes = new ConcurrentQueue<string>();
        var adds = new ConcurrentQueue<string>();
        informer.AddEventHandler(c => adds.Enqueue(c.Metadata!.Name!), null, c => deletes.Enqueue(c.Metadata!.Name!));
        informer.Start();
        Assert.True(await informer.WaitForCacheSyncAsync(new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token));
        var watchedFrom = long.Parse(informer.Reflector.LastSyncResourceVersion, System.Globalization.CultureInfo.InvariantCulture);

        // While the apiserver is down, change the store behind its back and compact it past the watch's revision.
        await cluster.StopApiServerAsync();
        var uid = Guid.NewGuid().ToString();
        var added = await cluster.Etcd.PutAsync($"/registry/configmaps/{ns}/added",
            $$$"""{"kind":"ConfigMap","apiVersion":"v1","metadata":{"name":"added","namespace":"{{{ns}}}","uid":"{{{uid}}}","creationTimestamp":"2026-01-01T00:00:00Z"},"data":{"value":"new"}}""");
        var deleted = await cluster.Etcd.DeleteAsync($"/registry/configmaps/{ns}/drop");
        await cluster.Etcd.CompactAsync(deleted.Header.Revision);
        Assert.True(deleted.Header.Revision > watchedFrom);
        await cluster.StartApiServerAsync();

        // Handlers run on their own loop, after the cache: wait for both, then check exactly what each saw.
        await Eventually.TrueAsync(() => informer.Lister.Get(ns, "added") is not null && informer.Lister.Get(ns, "drop") is null && !deletes.IsEmpty && adds.Count >= 3,
            $"the cache and the handler to catch up (seed {Seed}; errors: {string.Join("; ", errors.Select(e => e.Message))})");

        Assert.Equal(2, informer.Reflector.ListCount);
        Assert.Equal(["drop"], deletes);
        Assert.Equal(["drop", "keep", "added"], [.. adds.Take(2).Order(), .. adds.Skip(2)]);
        Assert.Equal(["added", "keep"], informer.Lister.List().Select(c => c.Metadata!.Name!).Order());
        Assert.True(long.Parse(informer.Reflector.LastSyncResourceVersion, System.Globalization.CultureInfo.InvariantCulture) >= added.Header.Revision);

        // The watch resumed after the relist: a change made now arrives as an event.
        var keep = await client.GetAsync<ConfigMap>(ns, "keep");
        keep.Data!["value"] = "after";
        await client.UpdateAsync(keep);
        await Eventually.TrueAsync(() => informer.Lister.Get(ns, "keep")?.Data?["value"] == "after", "the update after the relist");
    }

    [Fact]
    public async Task Factory_shares_one_informer_per_type()
    {
        using var client = cluster.NewClient();
        await using var factory = new SharedInformerFactory(client, Options(await cluster.NewNamespaceAsync("fac")));

        var pods = factory.For<Pod>();
        Assert.Same(pods, factory.For<Pod>());
        Assert.NotSame((object)pods, factory.For<ConfigMap>());
        factory.Start();
        Assert.True(await factory.WaitForCacheSyncAsync(new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token));
        Assert.True(pods.HasSynced && factory.For<ConfigMap>().HasSynced);
    }

    [Fact]
    public async Task Resync_hands_every_cached_object_to_OnUpdate_again_when_the_period_passes()
    {
        var ns = await cluster.NewNamespaceAsync("resync");
        using var client = cluster.NewClient();
        await client.CreateAsync(KubeClientTests.ConfigMap(ns, "a", "1"));
        await client.CreateAsync(KubeClientTests.ConfigMap(ns, "b", "1"));
        var time = new FakeTimeProvider();
        await using var informer = new SharedInformer<ConfigMap>(client, Options(ns) with { ResyncPeriod = TimeSpan.FromMinutes(1), TimeProvider = time });
        var resynced = new ConcurrentQueue<string>();
        informer.AddEventHandler(onUpdate: (o, n) =>
        {
            if (ReferenceEquals(o, n))
            {
                resynced.Enqueue(n.Metadata!.Name!);
            }
        });
        informer.Start();
        Assert.True(await informer.WaitForCacheSyncAsync(new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token));

        time.Advance(TimeSpan.FromSeconds(59));
        await Task.Delay(100);
        Assert.Empty(resynced);
        time.Advance(TimeSpan.FromSeconds(1));
        await Eventually.TrueAsync(() => resynced.Count == 2, "the resync");

        Assert.Equal(["a", "b"], resynced.Order());
    }
}
