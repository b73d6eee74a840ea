using System.Text.Json.Nodes;
using Google.Protobuf;
using MiniKube.ApiServer.Storage;
using Mvccpb;

namespace MiniKube.ApiServer.Tests.Storage;

/// <summary>How one etcd watch event becomes a storage event, with and without a filter.</summary>
public sealed class WatchEventTransformTests
{
    private const string Key = "/registry/pods/default/web";

    [Fact]
    public void An_unfiltered_change_is_modified_without_decoding_the_previous_state()
    {
        // The previous value is not JSON: reading it would fail, so an unfiltered watch must not read it.
        var e = Change(Pod("Running"), "not json", createRevision: 5, modRevision: 9);

        var converted = Etcd3Storage.Transform(e, null);

        Assert.NotNull(converted);
        Assert.Equal(WatchEventType.Modified, converted.Type);
        Assert.Equal("Running", converted.Item["status"]!["phase"]!.ToString());
        Assert.Equal("9", ObjectMetadata.ResourceVersion(converted.Item));
    }

    [Theory]
    [InlineData("Pending", "Running", WatchEventType.Added)]
    [InlineData("Running", "Running", WatchEventType.Modified)]
    [InlineData("Running", "Succeeded", WatchEventType.Deleted)]
    public void A_filtered_change_is_judged_on_the_previous_and_the_new_state(string before, string after, WatchEventType expected)
    {
        var e = Change(Pod(after), Pod(before), createRevision: 5, modRevision: 9);

        var converted = Etcd3Storage.Transform(e, obj => obj["status"]?["phase"]?.ToString() == "Running");

        Assert.NotNull(converted);
        Assert.Equal(expected, converted.Type);
        Assert.Equal(expected == WatchEventType.Deleted ? before : after, converted.Item["status"]!["phase"]!.ToString());
        Assert.Equal("9", ObjectMetadata.ResourceVersion(converted.Item));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_first_write_is_added(bool withPrevious)
    {
        var e = Change(Pod("Pending"), withPrevious ? Pod("Pending") : null, createRevision: 9, modRevision: 9);

        Assert.Equal(WatchEventType.Added, Etcd3Storage.Transform(e, null)!.Type);
    }

    [Fact]
    public void A_delete_is_the_previous_state_at_the_deletion_revision()
    {
        var e = new Event
        {
            Type = Event.Types.EventType.Delete,
            Kv = new KeyValue { Key = ByteString.CopyFromUtf8(Key), ModRevision = 12 },
            PrevKv = new KeyValue { Key = ByteString.CopyFromUtf8(Key), Value = ByteString.CopyFromUtf8(Pod("Running")), CreateRevision = 5, ModRevision = 9 },
        };

        var converted = Etcd3Storage.Transform(e, null);

        Assert.NotNull(converted);
        Assert.Equal(WatchEventType.Deleted, converted.Type);
        Assert.Equal("Running", converted.Item["status"]!["phase"]!.ToString());
        Assert.Equal("12", ObjectMetadata.ResourceVersion(converted.Item));
    }

    private static Event Change(string value, string? previous, long createRevision, long modRevision) => new()
    {
        Type = Event.Types.EventType.Put,
        Kv = new KeyValue { Key = ByteString.CopyFromUtf8(Key), Value = ByteString.CopyFromUtf8(value), CreateRevision = createRevision, ModRevision = modRevision },
        PrevKv = previous is null ? null : new KeyValue { Key = ByteString.CopyFromUtf8(Key), Value = ByteString.CopyFromUtf8(previous), CreateRevision = createRevision, ModRevision = modRevision - 1 },
    };

    private static string Pod(string phase) => new JsonObject
    {
        ["kind"] = "Pod",
        ["apiVersion"] = "v1",
        ["metadata"] = new JsonObject { ["name"] = "web", ["namespace"] = "default" },
        ["status"] = new JsonObject { ["phase"] = phase },
    }.ToJsonString();
}
