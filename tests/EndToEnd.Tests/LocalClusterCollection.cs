namespace MiniKube.EndToEnd.Tests;

/// <summary>Every end-to-end test shares one cluster and runs one at a time: they scale, kill and restart its parts.</summary>
[CollectionDefinition(Name)]
public sealed class LocalClusterCollection : ICollectionFixture<LocalClusterFixture>
{
    public const string Name = "local cluster";
}
