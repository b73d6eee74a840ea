using MiniKube.Testing;

namespace MiniKube.Etcd.Client.Tests.Infrastructure;

public sealed class MiniKubeStoreFixture : ServerFixture
{
    protected override async Task<IEtcdServer> StartAsync(string[] arguments) => await MiniKubeStore.StartAsync(arguments);
}
