using System.Collections.Concurrent;
using MiniKube.Grpc;
using MiniKube.Store.Integration.Tests.Infrastructure;
using MiniKube.Testing;
using Xunit.Abstractions;

namespace MiniKube.Store.Integration.Tests.Cluster;

/// <summary>
/// Three MiniKube store processes replicating through Raft over their peer ports: what etcdctl
/// shows of them, and a leader killed with SIGKILL in the middle of writes.
/// </summary>
public sealed class ThreeMemberClusterTests(ITestOutputHelper output)
{
    private static readonly Dictionary<string, string> EtcdctlEnvironment = new() { ["ETCDCTL_API"] = "3" };

    private static Task<ProcessResult> EtcdctlAsync(MiniKubeCluster cluster, params string[] arguments) =>
        ProcessRunner.RunAsync("/usr/bin/etcdctl", [$"--endpoints={cluster.Endpoints}", .. arguments], null, TimeSpan.FromSeconds(30), EtcdctlEnvironment);

    [Fact]
    public async Task A_leader_killed_during_writes_is_replaced_loses_no_acknowledged_write_and_converges_when_back()
    {
        await using var cluster = await MiniKubeCluster.StartAsync(3);
        var channels = cluster.Members.ToDictionary(m => m.Name, m => GrpcChannel.ForAddress(m.ClientUrl));
        try
        {
            var apis = cluster.Members.Select(m => new EtcdApi(channels[m.Name])).ToList();
            var leaderId = await LeaderAsync(apis);
            var ids = new List<ulong>();
            foreach (var api in apis)
            {
                ids.Add((await api.StatusAsync()).Header.MemberId);
            }

            var leaderIndex = ids.IndexOf(leaderId);
            var followerApi = apis[(leaderIndex + 1) % 3];

            var members = await EtcdctlAsync(cluster, "member", "list");
            Assert.True(members.ExitCode == 0, members.ToString());
            Assert.Equal(3, members.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
            var status = await EtcdctlAsync(cluster, "endpoint", "status", "-w", "json");
            Assert.True(status.ExitCode == 0, status.ToString());
            Assert.Equal(3, System.Text.RegularExpressions.Regex.Count(status.StandardOutput, $"\"leader\":{leaderId}\\b"));

            // Writes go through a follower (forwarded to the leader) while the leader is killed.
            var acknowledged = new ConcurrentDictionary<string, long>();
            using var stop = new CancellationTokenSource();
            var writer = Task.Run(async () =>
            {
                for (var i = 0; !stop.IsCancellationRequested; i++)
                {
                    try
                    {
                        var put = await followerApi.PutAsync($"/k/{i:D5}", $"v{i}");
                        acknowledged[$"/k/{i:D5}"] = put.Header.Revision;
                    }
                    catch (RpcException)
                    {
                        // Unacknowledged while there is no leader: it may or may not have been applied.
                    }
                }
            });

            await Expect.EventuallyAsync(() => Task.FromResult(acknowledged.Count >= 50), TimeSpan.FromSeconds(30), "writes before the kill");
            await cluster.Members[leaderIndex].KillAsync();
            var killedAt = acknowledged.Count;
            var survivors = apis.Where((_, i) => i != leaderIndex).ToList();
            var elected = DateTime.UtcNow;
            var newLeader = await LeaderAsync(survivors, notId: leaderId);
            output.WriteLine($"new leader {newLeader:x} after {(DateTime.UtcNow - elected).TotalMilliseconds:F0} ms");
            await Expect.EventuallyAsync(() => Task.FromResult(acknowledged.Count >= killedAt + 50), TimeSpan.FromSeconds(30), "writes after the kill");
            await stop.CancelAsync();
            await writer;

            foreach (var api in survivors)
            {
                var kvs = (await api.GetPrefixAsync("/k/")).Kvs.ToDictionary(kv => kv.Key.ToStringUtf8(), kv => kv.ModRevision);
                Assert.All(acknowledged, a => Assert.Equal(a.Value, kvs.GetValueOrDefault(a.Key)));
            }

            await cluster.RestartAsync(cluster.Members[leaderIndex]);
            var revision = await survivors[0].RevisionAsync();
            await Expect.EventuallyAsync(
                async () =>
                {
                    try
                    {
                        var hashes = new List<uint>();
                        foreach (var api in apis)
                        {
                            hashes.Add((await api.HashKVAsync(revision)).Hash);
                        }

                        return hashes.Distinct().Count() == 1;
                    }
                    catch (RpcException)
                    {
                        return false;
                    }
                },
                TimeSpan.FromSeconds(30),
                "equal HashKV on every member, the restarted one included");
            var hashkv = await EtcdctlAsync(cluster, "endpoint", "hashkv", "-w", "json");
            Assert.True(hashkv.ExitCode == 0, hashkv.ToString());
        }
        finally
        {
            foreach (var channel in channels.Values)
            {
                channel.Dispose();
            }
        }
    }

    /// <summary>The leader every given member agrees on (and not <paramref name="notId"/>), waiting for one.</summary>
    private static async Task<ulong> LeaderAsync(IReadOnlyList<EtcdApi> apis, ulong notId = 0)
    {
        ulong leader = 0;
        await Expect.EventuallyAsync(
            async () =>
            {
                try
                {
                    var leaders = new HashSet<ulong>();
                    foreach (var api in apis)
                    {
                        leaders.Add((await api.StatusAsync()).Leader);
                    }

                    leader = leaders.Single();
                    return leaders.Count == 1 && leader != 0 && leader != notId;
                }
                catch (Exception e) when (e is RpcException or InvalidOperationException)
                {
                    return false;
                }
            },
            TimeSpan.FromSeconds(20),
            "one leader agreed on by every member");
        return leader;
    }
}
