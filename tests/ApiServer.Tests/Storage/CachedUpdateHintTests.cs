using System.Text.Json.Nodes;
using MiniKube.ApiServer.Storage;

namespace MiniKube.ApiServer.Tests.Storage;

/// <summary>
/// GuaranteedUpdate starting from the watch cache's copy instead of a store read: a stale copy must never decide
/// the outcome. Each case hands in the object as it was one write ago.
/// </summary>
public sealed class CachedUpdateHintTests(MiniKubeStoreStorageFixture fixture) : IClassFixture<MiniKubeStoreStorageFixture>
{
    private readonly Etcd3Storage _storage = (Etcd3Storage)fixture.NewStorage($"/registry-{Guid.NewGuid():N}");

    [Fact]
    public async Task An_update_on_a_stale_cached_copy_is_made_again_on_the_stored_object()
    {
        var (stale, current) = await StaleAndCurrentAsync("stale");
        var seen = new List<string?>();
        var updated = await _storage.GuaranteedUpdateAsync("/pods/default/stale", null, false, c =>
        {
            seen.Add(c!["status"]?["phase"]?.ToString());
            ObjectMetadata.Of(c)["labels"] = new JsonObject { ["touched"] = "yes" };
            return c;
        }, stale, CancellationToken.None);

        Assert.Equal([null, "Running"], seen);
        Assert.Equal("Running", updated["status"]!["phase"]!.ToString());
        Assert.True(Rv(updated) > Rv(current));
        var read = await _storage.GetAsync("/pods/default/stale", ReadOptions.Latest);
        Assert.Equal("Running", read!["status"]!["phase"]!.ToString());
        Assert.Equal("yes", read["metadata"]!["labels"]!["touched"]!.ToString());
    }

    [Fact]
    public async Task A_no_op_on_a_stale_cached_copy_is_checked_against_the_store()
    {
        var (stale, current) = await StaleAndCurrentAsync("noop");
        // Nothing to change on the cached copy (it has no status), but the stored object has one to remove.
        var updated = await _storage.GuaranteedUpdateAsync("/pods/default/noop", null, false, c =>
        {
            c!.Remove("status");
            return c;
        }, stale, CancellationToken.None);

        Assert.True(Rv(updated) > Rv(current));
        var read = await _storage.GetAsync("/pods/default/noop", ReadOptions.Latest);
        Assert.Null(read!["status"]);
    }

    [Fact]
    public async Task An_update_refused_on_a_stale_cached_copy_is_asked_again_on_the_stored_object()
    {
        var (stale, current) = await StaleAndCurrentAsync("refused");
        var updated = await _storage.GuaranteedUpdateAsync("/pods/default/refused", new Preconditions(ResourceVersion: ObjectMetadata.ResourceVersion(current)), false, c =>
        {
            if (c!["status"]?["phase"]?.ToString() != "Running")
            {
                throw new InvalidOperationException("only a running pod may be updated");
            }

            c["status"]!["phase"] = "Succeeded";
            return c;
        }, stale, CancellationToken.None);

        Assert.Equal("Succeeded", updated["status"]!["phase"]!.ToString());
        Assert.True(Rv(updated) > Rv(current));
    }

    [Fact]
    public async Task An_update_on_a_current_cached_copy_writes_once()
    {
        var created = await _storage.CreateAsync("/pods/default/fresh", Pod("fresh"));
        var calls = 0;
        var updated = await _storage.GuaranteedUpdateAsync("/pods/default/fresh", null, false, c =>
        {
            calls++;
            c!["status"] = new JsonObject { ["phase"] = "Running" };
            return c;
        }, created.DeepClone().AsObject(), CancellationToken.None);

        Assert.Equal(1, calls);
        Assert.True(Rv(updated) > Rv(created));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_no_op_update_returns_the_stored_object_even_when_tryUpdate_scribbled_on_its_argument(bool fromCache)
    {
        var (_, current) = await StaleAndCurrentAsync(fromCache ? "scribble-cached" : "scribble");
        var key = $"/pods/default/{ObjectMetadata.Name(current)}";
        var updated = await _storage.GuaranteedUpdateAsync(key, null, false, c =>
        {
            var unchanged = c!.DeepClone().AsObject();
            c["status"] = new JsonObject { ["phase"] = "Scribbled" };
            return unchanged;
        }, fromCache ? current.DeepClone().AsObject() : null, CancellationToken.None);

        Assert.Equal("Running", updated["status"]!["phase"]!.ToString());
        Assert.Equal(Rv(current), Rv(updated));
    }

    /// <summary>A pod created without status (the stale copy) and then given phase Running (what is stored).</summary>
    private async Task<(JsonObject Stale, JsonObject Current)> StaleAndCurrentAsync(string name)
    {
        var created = await _storage.CreateAsync($"/pods/default/{name}", Pod(name));
        var current = await _storage.GuaranteedUpdateAsync($"/pods/default/{name}", null, false, c =>
        {
            c!["status"] = new JsonObject { ["phase"] = "Running" };
            return c;
        });
        return (created.DeepClone().AsObject(), current);
    }

    private static JsonObject Pod(string name) => new()
    {
        ["kind"] = "Pod",
        ["apiVersion"] = "v1",
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = "default", ["uid"] = $"uid-{name}" },
    };

    private static long Rv(JsonObject obj) => long.Parse(ObjectMetadata.ResourceVersion(obj)!, System.Globalization.CultureInfo.InvariantCulture);
}
