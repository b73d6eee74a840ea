using MiniKube.Api.Core;
using MiniKube.Api.Meta;
using MiniKube.Client.Cache;

namespace MiniKube.Client.Tests.Cache;

public sealed class IndexerTests
{
    private static Pod Pod(string ns, string name, string? node, string rv = "1") => new()
    {
        Metadata = new ObjectMeta { Namespace = ns, Name = name, ResourceVersion = rv },
        Spec = new PodSpec { NodeName = node },
    };

    [Fact]
    public void Indexes_follow_upserts_deletes_and_replace()
    {
        var indexer = new Indexer<Pod>();
        indexer.AddIndex("node", p => p.Spec?.NodeName is { } n ? [n] : []);
        indexer.Upsert(Pod("a", "p1", "n1"));
        indexer.Upsert(Pod("b", "p2", "n1"));
        indexer.Upsert(Pod("a", "p3", null));

        Assert.Equal(["a/p1", "b/p2"], indexer.ByIndex("node", "n1").Select(ObjectKeys.KeyOf).Order());
        Assert.Equal(["a/p1", "a/p3"], indexer.ByIndex(Indexer<Pod>.NamespaceIndex, "a").Select(ObjectKeys.KeyOf).Order());

        var old = indexer.Upsert(Pod("a", "p1", "n2", rv: "2"));
        Assert.Equal("1", old!.Metadata!.ResourceVersion);
        Assert.Equal(["b/p2"], indexer.ByIndex("node", "n1").Select(ObjectKeys.KeyOf));
        Assert.Equal(["a/p1"], indexer.ByIndex("node", "n2").Select(ObjectKeys.KeyOf));

        Assert.NotNull(indexer.Delete("b/p2"));
        Assert.Null(indexer.Delete("b/p2"));
        Assert.Empty(indexer.ByIndex("node", "n1"));

        var dropped = indexer.Replace([Pod("c", "p9", "n1")]);
        Assert.Equal(["a/p1", "a/p3"], dropped.Select(ObjectKeys.KeyOf).Order());
        Assert.Equal(["c/p9"], indexer.ByIndex("node", "n1").Select(ObjectKeys.KeyOf));
        Assert.Empty(indexer.ByIndex("node", "n2"));
        Assert.Equal(1, indexer.Count);
    }

    [Theory]
    [InlineData("ns/name", "ns", "name")]
    [InlineData("node-1", "", "node-1")]
    public void ObjectKeys_split_what_KeyOf_joins(string key, string ns, string name)
    {
        Assert.Equal((ns, name), ObjectKeys.Split(key));
        Assert.Equal(key, ObjectKeys.KeyOf(ns, name));
    }
}
