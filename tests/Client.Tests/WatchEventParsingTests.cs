using MiniKube.Api.Core;

namespace MiniKube.Client.Tests;

/// <summary>A typed watch reads each line straight into the type; these are the lines an apiserver sends.</summary>
public sealed class WatchEventParsingTests
{
    [Theory]
    [InlineData("ADDED", WatchEventType.Added)]
    [InlineData("MODIFIED", WatchEventType.Modified)]
    [InlineData("DELETED", WatchEventType.Deleted)]
    [InlineData("BOOKMARK", WatchEventType.Bookmark)]
    public void An_object_event_carries_the_typed_object(string type, WatchEventType expected)
    {
        var line = """{"type":"TYPE","object":{"apiVersion":"v1","kind":"Pod","metadata":{"name":"web-1","namespace":"default","resourceVersion":"42"},"spec":{"nodeName":"node-7","containers":[{"name":"main","image":"pause"}]}}}""".Replace("TYPE", type, StringComparison.Ordinal);

        var e = KubeClient.ParseWatchEvent<Pod>(line);

        Assert.Equal(expected, e.Type);
        Assert.Null(e.Error);
        Assert.Equal(("web-1", "42", "node-7"), (e.Object!.Metadata!.Name, e.Object.Metadata.ResourceVersion, e.Object.Spec!.NodeName));
        Assert.Equal("main", e.Object.Spec.Containers!.Single().Name);
    }

    [Fact]
    public void An_error_event_carries_the_status_and_no_object()
    {
        var e = KubeClient.ParseWatchEvent<Pod>("""{"type":"ERROR","object":{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"too old resource version: 1 (40)","reason":"Expired","code":410}}""");

        Assert.Equal(WatchEventType.Error, e.Type);
        Assert.Null(e.Object);
        Assert.Equal(((int?)410, "Expired"), (e.Error!.Code, e.Error.Reason));
    }

    [Theory]
    [InlineData("""{"type":"ADDED","object":null}""")]
    [InlineData("""{"type":"ADDED"}""")]
    public void An_event_without_an_object_is_an_error(string line)
    {
        var e = KubeClient.ParseWatchEvent<Pod>(line);

        Assert.Equal(WatchEventType.Error, e.Type);
        Assert.Equal<int?>(500, e.Error!.Code);
        Assert.Contains("watch event ADDED without an object", e.Error.Message, StringComparison.Ordinal);
    }
}
