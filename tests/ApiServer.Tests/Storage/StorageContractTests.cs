using System.Text.Json.Nodes;
using MiniKube.ApiServer.Storage;

namespace MiniKube.ApiServer.Tests.Storage;

/// <summary>
/// The storage seam's contract (Kubernetes' storage/testing/store_tests.go in spirit), run against
/// every implementation and server: see the subclasses. Each test works under a prefix of its own.
/// </summary>
public abstract class StorageContractTests<TFixture>(TFixture fixture) : IClassFixture<TFixture>
    where TFixture : StorageFixture
{
    private readonly IObjectStorage _storage = fixture.NewStorage($"/registry-{Guid.NewGuid():N}");

    protected TFixture Fixture => fixture;

    protected IObjectStorage Storage => _storage;

    protected static JsonObject Pod(string name, string? phase = null, string? label = null)
    {
        var pod = new JsonObject
        {
            ["kind"] = "Pod",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = "default", ["uid"] = $"uid-{name}" },
        };
        if (label is not null)
        {
            ObjectMetadata.Of(pod)["labels"] = new JsonObject { ["app"] = label };
        }

        if (phase is not null)
        {
            pod["status"] = new JsonObject { ["phase"] = phase };
        }

        return pod;
    }

    protected static long Rv(JsonObject obj) => long.Parse(ObjectMetadata.ResourceVersion(obj)!, System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task Create_returns_the_object_with_its_revision_and_Get_reads_it_back()
    {
        var created = await Storage.CreateAsync("/pods/default/a", Pod("a"));
        Assert.True(Rv(created) > 0);
        var read = await Storage.GetAsync("/pods/default/a", ReadOptions.Latest);
        Assert.NotNull(read);
        Assert.Equal(Rv(created), Rv(read));
        Assert.Equal("a", ObjectMetadata.Name(read));
    }

    [Fact]
    public async Task Create_fails_with_KeyExists_when_the_key_is_taken()
    {
        await Storage.CreateAsync("/pods/default/dup", Pod("dup"));
        var error = await Assert.ThrowsAsync<StorageException>(() => Storage.CreateAsync("/pods/default/dup", Pod("dup")));
        Assert.Equal(StorageErrorCode.KeyExists, error.Code);
    }

    [Fact]
    public async Task Get_of_a_missing_key_is_null()
        => Assert.Null(await Storage.GetAsync("/pods/default/missing", ReadOptions.Latest));

    [Fact]
    public async Task GuaranteedUpdate_writes_a_new_revision_and_skips_a_write_that_changes_nothing()
    {
        var created = await Storage.CreateAsync("/pods/default/u", Pod("u"));
        var updated = await Storage.GuaranteedUpdateAsync("/pods/default/u", null, false, current =>
        {
            current!["status"] = new JsonObject { ["phase"] = "Running" };
            return current;
        });
        Assert.True(Rv(updated) > Rv(created));
        var unchanged = await Storage.GuaranteedUpdateAsync("/pods/default/u", null, false, current => current!);
        Assert.Equal(Rv(updated), Rv(unchanged));
    }

    [Fact]
    public async Task GuaranteedUpdate_retries_so_concurrent_updates_are_never_lost()
    {
        var pod = Pod("counter");
        pod["count"] = 0;
        await Storage.CreateAsync("/pods/default/counter", pod);
        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => Storage.GuaranteedUpdateAsync("/pods/default/counter", null, false, current =>
        {
            current!["count"] = current["count"]!.GetValue<int>() + 1;
            return current;
        }))));
        var final = await Storage.GetAsync("/pods/default/counter", ReadOptions.Latest);
        Assert.Equal(8, final!["count"]!.GetValue<int>());
    }

    [Fact]
    public async Task GuaranteedUpdate_of_a_missing_key_fails_unless_told_to_create_it()
    {
        var error = await Assert.ThrowsAsync<StorageException>(() => Storage.GuaranteedUpdateAsync("/pods/default/none", null, false, c => c!));
        Assert.Equal(StorageErrorCode.KeyNotFound, error.Code);
        var created = await Storage.GuaranteedUpdateAsync("/pods/default/none", null, true, c => c ?? Pod("none"));
        Assert.Equal("none", ObjectMetadata.Name(created));
    }

    [Fact]
    public async Task Preconditions_on_uid_and_resourceVersion_are_checked()
    {
        var created = await Storage.CreateAsync("/pods/default/p", Pod("p"));
        var wrongUid = await Assert.ThrowsAsync<StorageException>(() => Storage.GuaranteedUpdateAsync("/pods/default/p", new Preconditions(Uid: "other"), false, c => c!));
        Assert.Equal(StorageErrorCode.Conflict, wrongUid.Code);
        Assert.Contains("UID in precondition: other", wrongUid.Message, StringComparison.Ordinal);
        var wrongRv = await Assert.ThrowsAsync<StorageException>(() => Storage.DeleteAsync("/pods/default/p", new Preconditions(ResourceVersion: "1")));
        Assert.Equal(StorageErrorCode.Conflict, wrongRv.Code);
        await Storage.DeleteAsync("/pods/default/p", new Preconditions("uid-p", ObjectMetadata.ResourceVersion(created)));
        Assert.Null(await Storage.GetAsync("/pods/default/p", ReadOptions.Latest));
    }

    [Fact]
    public async Task Delete_returns_the_last_state_and_a_second_delete_is_not_found()
    {
        await Storage.CreateAsync("/pods/default/d", Pod("d", "Running"));
        var deleted = await Storage.DeleteAsync("/pods/default/d", null);
        Assert.Equal("Running", deleted["status"]!["phase"]!.GetValue<string>());
        var error = await Assert.ThrowsAsync<StorageException>(() => Storage.DeleteAsync("/pods/default/d", null));
        Assert.Equal(StorageErrorCode.KeyNotFound, error.Code);
    }

    [Fact]
    public async Task Delete_is_refused_when_validation_throws()
    {
        await Storage.CreateAsync("/pods/default/v", Pod("v"));
        await Assert.ThrowsAsync<InvalidOperationException>(() => Storage.DeleteAsync("/pods/default/v", null, _ => throw new InvalidOperationException("no")));
        Assert.NotNull(await Storage.GetAsync("/pods/default/v", ReadOptions.Latest));
    }

    [Fact]
    public async Task GetList_filters_and_reads_one_directory_only()
    {
        await Storage.CreateAsync("/pods/ns1/a", Pod("a", label: "web"));
        await Storage.CreateAsync("/pods/ns1/b", Pod("b", label: "db"));
        await Storage.CreateAsync("/pods/ns10/c", Pod("c", label: "web"));
        var all = await Storage.GetListAsync("/pods/ns1", ListOptions.Everything);
        Assert.Equal(["a", "b"], all.Items.Select(ObjectMetadata.Name));
        var web = await Storage.GetListAsync("/pods/", new ListOptions { Predicate = o => ObjectMetadata.Labels(o).GetValueOrDefault("app") == "web" });
        Assert.Equal(["a", "c"], web.Items.Select(ObjectMetadata.Name));
        Assert.Equal(3, await Storage.CountAsync("/pods"));
    }

    [Fact]
    public async Task GetList_pages_with_limit_and_continue_at_one_revision()
    {
        for (var i = 0; i < 5; i++)
        {
            await Storage.CreateAsync($"/pods/default/p{i}", Pod($"p{i}"));
        }

        var first = await Storage.GetListAsync("/pods/default", new ListOptions { Limit = 2 });
        Assert.Equal(["p0", "p1"], first.Items.Select(ObjectMetadata.Name));
        Assert.Equal(3, first.RemainingItemCount);
        Assert.NotNull(first.Continue);

        // Written after the first page: a consistent list must not show it.
        await Storage.CreateAsync("/pods/default/p2a", Pod("p2a"));
        var second = await Storage.GetListAsync("/pods/default", new ListOptions { Limit = 2, Continue = first.Continue });
        Assert.Equal(["p2", "p3"], second.Items.Select(ObjectMetadata.Name));
        Assert.Equal(first.ResourceVersion, second.ResourceVersion);
        var third = await Storage.GetListAsync("/pods/default", new ListOptions { Limit = 2, Continue = second.Continue });
        Assert.Equal(["p4"], third.Items.Select(ObjectMetadata.Name));
        Assert.Null(third.Continue);
    }

    [Fact]
    public async Task GetList_with_a_limit_and_a_filter_reads_on_until_the_limit_is_met()
    {
        for (var i = 0; i < 6; i++)
        {
            await Storage.CreateAsync($"/pods/default/f{i}", Pod($"f{i}", label: i % 3 == 0 ? "web" : "db"));
        }

        var page = await Storage.GetListAsync("/pods/default", new ListOptions { Limit = 2, Predicate = o => ObjectMetadata.Labels(o)["app"] == "web" });
        Assert.Equal(["f0", "f3"], page.Items.Select(ObjectMetadata.Name));
        Assert.Null(page.RemainingItemCount);
    }

    [Fact]
    public async Task GetList_rejects_a_garbled_continue_token()
    {
        var error = await Assert.ThrowsAsync<StorageException>(() => Storage.GetListAsync("/pods/default", new ListOptions { Continue = "not-a-token" }));
        Assert.Equal(StorageErrorCode.InvalidContinue, error.Code);
    }

    [Fact]
    public async Task GetList_at_an_exact_revision_sees_the_old_state()
    {
        var a = await Storage.CreateAsync("/pods/default/x", Pod("x"));
        await Storage.CreateAsync("/pods/default/y", Pod("y"));
        var old = await Storage.GetListAsync("/pods/default", new ListOptions { ResourceVersion = ObjectMetadata.ResourceVersion(a), ResourceVersionMatch = ResourceVersionMatch.Exact });
        Assert.Equal(["x"], old.Items.Select(ObjectMetadata.Name));
        Assert.Equal(Rv(a), old.ResourceVersion);
    }

    [Fact]
    public async Task Watch_from_a_revision_reports_adds_modifications_and_deletes_in_order()
    {
        var created = await Storage.CreateAsync("/pods/default/w", Pod("w"));
        await using var watch = await Storage.WatchAsync("/pods/default", new WatchOptions { ResourceVersion = Rv(created), Recursive = true });
        await Storage.GuaranteedUpdateAsync("/pods/default/w", null, false, c =>
        {
            c!["status"] = new JsonObject { ["phase"] = "Running" };
            return c;
        });
        await Storage.CreateAsync("/pods/default/w2", Pod("w2"));
        var deleted = await Storage.DeleteAsync("/pods/default/w", null);
        var events = await ReadAsync(watch, 3);
        Assert.Equal([WatchEventType.Modified, WatchEventType.Added, WatchEventType.Deleted], events.Select(e => e.Type));
        Assert.Equal(["w", "w2", "w"], events.Select(e => ObjectMetadata.Name(e.Item)));
        Assert.True(events[0].ResourceVersion < events[1].ResourceVersion && events[1].ResourceVersion < events[2].ResourceVersion);
        Assert.Equal(events[2].ResourceVersion, Rv(events[2].Item));
        Assert.Equal("Running", events[2].Item["status"]!["phase"]!.GetValue<string>());
    }

    [Fact]
    public async Task Watch_from_now_first_reports_what_exists()
    {
        await Storage.CreateAsync("/pods/default/n1", Pod("n1"));
        await using var watch = await Storage.WatchAsync("/pods/default", new WatchOptions { Recursive = true });
        await Storage.CreateAsync("/pods/default/n2", Pod("n2"));
        var events = await ReadAsync(watch, 2);
        Assert.Equal([(WatchEventType.Added, "n1"), (WatchEventType.Added, "n2")], events.Select(e => (e.Type, ObjectMetadata.Name(e.Item)!)));
    }

    [Fact]
    public async Task Watch_with_a_predicate_reports_objects_leaving_and_entering_it()
    {
        var created = await Storage.CreateAsync("/pods/default/s", Pod("s", "Pending"));
        await using var watch = await Storage.WatchAsync("/pods/default", new WatchOptions
        {
            ResourceVersion = Rv(created),
            Recursive = true,
            Predicate = o => o["status"]?["phase"]?.GetValue<string>() == "Pending",
        });
        await SetPhaseAsync("s", "Running");
        await SetPhaseAsync("s", "Pending");
        var events = await ReadAsync(watch, 2);
        Assert.Equal([WatchEventType.Deleted, WatchEventType.Added], events.Select(e => e.Type));
    }

    [Fact]
    public async Task Watch_of_one_key_sees_only_that_key()
    {
        var created = await Storage.CreateAsync("/pods/default/one", Pod("one"));
        await using var watch = await Storage.WatchAsync("/pods/default/one", new WatchOptions { ResourceVersion = Rv(created) });
        await Storage.CreateAsync("/pods/default/one-other", Pod("one-other"));
        await SetPhaseAsync("one", "Running");
        var events = await ReadAsync(watch, 1);
        Assert.Equal((WatchEventType.Modified, "one"), (events[0].Type, ObjectMetadata.Name(events[0].Item)));
    }

    [Fact]
    public async Task Watch_with_bookmarks_reports_progress_when_idle()
    {
        var created = await Storage.CreateAsync("/pods/default/b", Pod("b"));
        await using var watch = await Storage.WatchAsync("/pods/default", new WatchOptions { ResourceVersion = Rv(created), Recursive = true, AllowBookmarks = true });
        var events = await ReadAsync(watch, 1, TimeSpan.FromSeconds(20));
        Assert.Equal(WatchEventType.Bookmark, events[0].Type);
        Assert.True(events[0].ResourceVersion >= Rv(created));
    }

    [Fact]
    public async Task A_compacted_resourceVersion_is_expired_for_lists_and_watches()
    {
        var old = await Storage.CreateAsync("/pods/default/c1", Pod("c1"));
        var newer = await Storage.CreateAsync("/pods/default/c2", Pod("c2"));
        await Fixture.Client.CompactAsync(Rv(newer));
        var listError = await Assert.ThrowsAsync<StorageException>(() => Storage.GetListAsync("/pods/default",
            new ListOptions { ResourceVersion = ObjectMetadata.ResourceVersion(old), ResourceVersionMatch = ResourceVersionMatch.Exact }));
        Assert.Equal(StorageErrorCode.ResourceVersionExpired, listError.Code);

        await using var watch = await Storage.WatchAsync("/pods/default", new WatchOptions { ResourceVersion = Rv(old) - 1, Recursive = true });
        var events = await ReadAsync(watch, 1);
        Assert.Equal(WatchEventType.Error, events[0].Type);
        Assert.Equal(410, events[0].Item["code"]!.GetValue<int>());
        Assert.Equal("Expired", events[0].Item["reason"]!.GetValue<string>());
        Assert.StartsWith($"too old resource version: {Rv(old) - 1} (", events[0].Item["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    private async Task SetPhaseAsync(string name, string phase)
        => await Storage.GuaranteedUpdateAsync($"/pods/default/{name}", null, false, c =>
        {
            c!["status"] = new JsonObject { ["phase"] = phase };
            return c;
        });

    protected static async Task<List<StorageEvent>> ReadAsync(IObjectWatch watch, int count, TimeSpan? timeout = null)
    {
        var events = new List<StorageEvent>();
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        try
        {
            while (events.Count < count)
            {
                events.Add(await watch.Events.ReadAsync(cts.Token));
            }
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"expected {count} events, got {events.Count}: {string.Join(", ", events.Select(e => $"{e.Type} {ObjectMetadata.Name(e.Item)}"))}");
        }

        return events;
    }
}

public sealed class Etcd3StorageOnMiniKubeTests(MiniKubeStoreStorageFixture fixture) : StorageContractTests<MiniKubeStoreStorageFixture>(fixture);

public sealed class Etcd3StorageOnRealEtcdTests(RealEtcdStorageFixture fixture) : StorageContractTests<RealEtcdStorageFixture>(fixture);
