using MiniKube.Testing;

namespace MiniKube.Store.Integration.Tests.BadInput;

/// <summary>
/// A member that cannot start says why in one line and exits 1, as etcd does, and never disturbs
/// a member already running on the same port or data directory.
/// </summary>
public sealed class StartupErrorTests
{
    [Fact]
    public async Task A_second_member_on_the_same_data_directory_is_refused_and_the_first_keeps_serving()
    {
        await using var first = await MiniKubeStore.StartAsync();

        var second = await RunStoreAsync("--data-dir", first.DataDir, "--listen-client-urls", $"http://127.0.0.1:{FreePort.Pick()}");

        AssertOneLineError(second, $"Error: data directory {first.DataDir} is in use by another process");
        await using var canary = new Canary(first.ClientUrl);
        await canary.StopAndAssertHealthyAsync();
    }

    [Fact]
    public async Task A_client_port_in_use_is_refused_with_the_address()
    {
        await using var first = await MiniKubeStore.StartAsync();
        var url = first.ClientUrl.ToString().TrimEnd('/');

        await InNewDataDirectoryAsync(async dataDir =>
        {
            var second = await RunStoreAsync("--data-dir", dataDir, "--listen-client-urls", url);

            AssertOneLineError(second, $"Error: Failed to bind to address {url}: address already in use.");
        });
    }

    [Fact]
    public Task An_https_listen_url_is_refused_until_TLS_is_served() => InNewDataDirectoryAsync(async dataDir =>
    {
        var result = await RunStoreAsync("--data-dir", dataDir, "--listen-client-urls", "https://127.0.0.1:2379");

        AssertOneLineError(result, "Error: unsupported scheme in listen URL https://127.0.0.1:2379/");
    });

    [Fact]
    public Task An_election_timeout_under_five_heartbeats_is_refused_as_etcd_refuses_it() => InNewDataDirectoryAsync(async dataDir =>
    {
        var result = await RunStoreAsync("--data-dir", dataDir, "--election-timeout", "50");

        AssertOneLineError(result, "Error: --election-timeout[50ms] should be at least as 5 times as --heartbeat-interval[100ms]");
        Assert.Empty(Directory.GetFileSystemEntries(dataDir)); // refused before touching the data directory
    });

    private static async Task InNewDataDirectoryAsync(Func<string, Task> test)
    {
        var dataDir = TestDirectories.Create("store");
        try
        {
            await test(dataDir);
        }
        finally
        {
            TestDirectories.Delete(dataDir);
        }
    }

    private static Task<ProcessResult> RunStoreAsync(params string[] arguments) =>
        ProcessRunner.RunAsync("dotnet", [MiniKubeStore.StoreAssembly, "--listen-peer-urls", $"http://127.0.0.1:{FreePort.Pick()}", .. arguments], timeout: TimeSpan.FromSeconds(30));

    private static void AssertOneLineError(ProcessResult result, string start)
    {
        Assert.True(result.ExitCode == 1, result.ToString());
        var line = Assert.Single(result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith(start, line, StringComparison.Ordinal);
    }
}
