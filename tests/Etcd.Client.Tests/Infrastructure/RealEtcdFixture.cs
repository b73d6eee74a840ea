using MiniKube.Testing;

namespace MiniKube.Etcd.Client.Tests.Infrastructure;

public sealed class RealEtcdFixture : ServerFixture
{
    protected override async Task<IEtcdServer> StartAsync(string[] arguments) => await RealEtcd.StartAsync(arguments);
}
