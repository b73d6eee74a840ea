using MiniKube.Etcd.Client.Tests.Infrastructure;

namespace MiniKube.Etcd.Client.Tests;

/// <summary>The client contract against a real etcd 3.4: the reference the store must match.</summary>
public sealed class RealEtcdClientTests(RealEtcdFixture fixture) : EtcdClientContractTests<RealEtcdFixture>(fixture);
