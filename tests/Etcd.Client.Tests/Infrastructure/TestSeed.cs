using System.Globalization;

namespace MiniKube.Etcd.Client.Tests.Infrastructure;

/// <summary>
/// Seeds for tests that use randomness: fixed by default so runs repeat; MINIKUBE_TEST_SEED
/// overrides it to explore. Tests print the seed in their failure messages.
/// </summary>
public static class TestSeed
{
    public static int Get(int fallback)
        => int.TryParse(Environment.GetEnvironmentVariable("MINIKUBE_TEST_SEED"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var seed) ? seed : fallback;
}
