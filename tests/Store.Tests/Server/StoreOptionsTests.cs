using MiniKube.Store.Server;

namespace MiniKube.Store.Tests.Server;

public sealed class StoreOptionsTests
{
    [Fact]
    public void The_defaults_are_valid() => Assert.Null(new StoreOptions().Validate());

    public static TheoryData<StoreOptions, string> Invalid => new()
    {
        { new StoreOptions { Name = " " }, "--name must not be empty" },
        { new StoreOptions { ListenClientUrls = [] }, "--listen-client-urls must name at least one URL" },
        { new StoreOptions { ListenMetricsUrls = [new("https://127.0.0.1:2381")] }, "unsupported scheme in listen URL https://127.0.0.1:2381/: only http (h2c) is served for now" },
        { new StoreOptions { HeartbeatInterval = TimeSpan.Zero }, "--heartbeat-interval must be >0 (set to 0ms)" },
        { new StoreOptions { ElectionTimeout = TimeSpan.Zero }, "--election-timeout must be >0 (set to 0ms)" },
        { new StoreOptions { ElectionTimeout = TimeSpan.FromMilliseconds(400) }, "--election-timeout[400ms] should be at least as 5 times as --heartbeat-interval[100ms]" },
        { new StoreOptions { ElectionTimeout = TimeSpan.FromMilliseconds(60_000) }, "--election-timeout[60000ms] is too long, and should be set less than 50000ms" },
        { new StoreOptions { MaxRequestBytes = 0 }, "--max-request-bytes must be >0 (set to 0)" },
        { new StoreOptions { MaxTxnOps = -1 }, "--max-txn-ops must be >0 (set to -1)" },
        { new StoreOptions { SnapshotCount = -5 }, "--snapshot-count must not be negative (set to -5)" },
        { new StoreOptions { WatchProgressNotifyInterval = TimeSpan.Zero }, "--experimental-watch-progress-notify-interval must be >0" },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void Options_etcd_would_refuse_are_refused_with_its_message(StoreOptions options, string message) =>
        Assert.Equal(message, options.Validate());
}
