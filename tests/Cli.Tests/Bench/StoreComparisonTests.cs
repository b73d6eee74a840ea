using MiniKube.Cli.Bench;
using MiniKube.Testing;

namespace MiniKube.Cli.Tests.Bench;

/// <summary><c>mkctl bench store --compare-etcd --members 3</c> end to end, with a few dozen operations per workload.</summary>
public sealed class StoreComparisonTests
{
    [Fact]
    public async Task Comparison_of_three_member_clusters_measures_both_and_names_them_in_the_table()
    {
        var all = StoreComparison.DefaultWorkloads(keySize: 8, valSize: 64, total: 50);
        StoreComparison.Workload[] workloads = [.. all.Where(w => w.Name is "put, 1 client" or "range l, 100 clients")];
        var progress = new StringWriter();

        var rows = await StoreComparison.RunAsync(workloads, RealEtcd.Binary, members: 3, warmup: 0, rounds: 1, progress, CancellationToken.None);

        Assert.Equal(2, rows.Count);
        foreach (var row in rows)
        {
            Assert.True(row.MiniKube.Succeeded == 50 && row.Etcd.Succeeded == 50, $"{row.Workload.Name}: {row.MiniKube.Succeeded} and {row.Etcd.Succeeded} of 50 succeeded\n{progress}");
            Assert.True(row.MiniKubeCpu > TimeSpan.Zero && row.EtcdCpu > TimeSpan.Zero, $"{row.Workload.Name}: no server CPU time recorded");

            // Three members of either kind take more than the few MiB one process could.
            Assert.True(row.MiniKubeResidentBytes > 3 * 10 << 20 && row.EtcdResidentBytes > 3 * 10 << 20, $"{row.Workload.Name}: RSS {row.MiniKubeResidentBytes}/{row.EtcdResidentBytes}");
        }

        // Every member's client URL is an endpoint: the progress line lists three of each kind.
        var endpoints = progress.ToString().Split('\n')[0];
        Assert.Equal(6, endpoints.Split("http://127.0.0.1:").Length - 1);

        var table = StoreComparison.Table(rows, members: 3);
        Assert.Contains("3-member MiniKube cluster vs 3-member etcd cluster", table, StringComparison.Ordinal);
        Assert.Contains("| put, 1 client | 1/1 | 50 |", table, StringComparison.Ordinal);
    }
}
