namespace MiniKube.EndToEnd.Tests;

/// <summary>The failover tests share the three-member cluster and run one at a time: each kills a part of it.</summary>
[CollectionDefinition(Name)]
public sealed class ReplicatedClusterCollection : ICollectionFixture<ReplicatedClusterFixture>
{
    public const string Name = "replicated cluster";
}
