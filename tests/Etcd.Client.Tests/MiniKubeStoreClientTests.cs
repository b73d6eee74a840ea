using MiniKube.Etcd.Client.Tests.Infrastructure;

namespace MiniKube.Etcd.Client.Tests;

/// <summary>The client contract against MiniKube's store.</summary>
public sealed class MiniKubeStoreClientTests(MiniKubeStoreFixture fixture) : EtcdClientContractTests<MiniKubeStoreFixture>(fixture);
