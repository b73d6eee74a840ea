using System.Collections.Concurrent;
using System.Diagnostics;
using Etcdserverpb;
using MiniKube.Etcd.Client;
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

    [Fact]
    public async Task Etcdctl_keep_alives_sent_to_a_follower_keep_a_lease_alive_and_move_leader_hands_leadership_on()
    {
        await using var cluster = await MiniKubeCluster.StartAsync(3);
        var channels = cluster.Members.Select(m => GrpcChannel.ForAddress(m.ClientUrl)).ToList();
        try
        {
            var apis = channels.Select(c => new EtcdApi(c)).ToList();
            var leaderId = await LeaderAsync(apis);
            var ids = new List<ulong>();
            foreach (var api in apis)
            {
                ids.Add((await api.StatusAsync()).Header.MemberId);
            }

            var leader = cluster.Members[ids.IndexOf(leaderId)];
            var follower = cluster.Members[(ids.IndexOf(leaderId) + 1) % 3];
            Task<ProcessResult> At(MiniKubeCluster.Member member, params string[] arguments) =>
                ProcessRunner.RunAsync("/usr/bin/etcdctl", [$"--endpoints={member.ClientUrl.OriginalString}", .. arguments], null, TimeSpan.FromSeconds(30), EtcdctlEnvironment);

            var grant = await At(leader, "lease", "grant", "3");
            Assert.True(grant.ExitCode == 0, grant.ToString());
            var lease = System.Text.RegularExpressions.Regex.Match(grant.StandardOutput, "lease ([0-9a-f]+) granted").Groups[1].Value;
            var put = await At(leader, "put", "leased", "x", $"--lease={lease}");
            Assert.True(put.ExitCode == 0, put.ToString());

            // Eight seconds, more than two TTLs, renewed only through the follower.
            var until = DateTime.UtcNow.AddSeconds(8);
            while (DateTime.UtcNow < until)
            {
                var keepAlive = await At(follower, "lease", "keep-alive", "--once", lease);
                Assert.True(keepAlive.ExitCode == 0 && keepAlive.StandardOutput.Contains("keepalived with TTL(3)", StringComparison.Ordinal), keepAlive.ToString());
                await Task.Delay(TimeSpan.FromMilliseconds(700));
            }

            var ttl = await At(follower, "lease", "timetolive", lease, "--keys");
            Assert.True(ttl.ExitCode == 0 && ttl.StandardOutput.Contains("granted with TTL(3s)", StringComparison.Ordinal) && ttl.StandardOutput.Contains("attached keys([leased])", StringComparison.Ordinal), ttl.ToString());
            var get = await At(leader, "get", "leased", "--print-value-only");
            Assert.Equal("x", get.StandardOutput.Trim());

            // Unrenewed, the leader revokes it.
            await Expect.EventuallyAsync(
                async () => (await At(follower, "get", "leased", "--consistency=s", "--count-only", "-w", "json")).StandardOutput.Contains("\"count\"", StringComparison.Ordinal) is false,
                TimeSpan.FromSeconds(15),
                "the unrenewed lease revoked and its key gone on the follower");

            var transferee = ids.First(id => id != leaderId);
            var move = await EtcdctlAsync(cluster, "move-leader", transferee.ToString("x"));
            Assert.True(move.ExitCode == 0 && move.StandardOutput.Contains($"Leadership transferred from {leaderId:x} to {transferee:x}", StringComparison.Ordinal), move.ToString());
            Assert.Equal(transferee, await LeaderAsync(apis, notId: leaderId));
            var notLeader = await Assert.ThrowsAsync<RpcException>(() => apis[ids.IndexOf(leaderId)].CallAsync(EtcdMethods.MoveLeader, new MoveLeaderRequest { TargetID = leaderId }));
            Assert.Equal((StatusCode.FailedPrecondition, "etcdserver: not leader"), (notLeader.StatusCode, notLeader.Status.Detail));
            var write = await At(leader, "put", "after-move", "y");
            Assert.True(write.ExitCode == 0, write.ToString());
        }
        finally
        {
            foreach (var channel in channels)
            {
                channel.Dispose();
            }
        }
    }

    [Fact]
    public async Task A_paused_follower_catches_up_when_resumed_and_a_member_without_quorum_refuses_writes_but_serves_serializable_reads()
    {
        await using var cluster = await MiniKubeCluster.StartAsync(3);
        var channels = cluster.Members.Select(m => GrpcChannel.ForAddress(m.ClientUrl)).ToList();
        try
        {
            var apis = channels.Select(c => new EtcdApi(c)).ToList();
            var leaderId = await LeaderAsync(apis);
            var ids = new List<ulong>();
            foreach (var api in apis)
            {
                ids.Add((await api.StatusAsync()).Header.MemberId);
            }

            var leaderIndex = ids.IndexOf(leaderId);
            var pausedIndex = (leaderIndex + 1) % 3;
            cluster.Members[pausedIndex].Process!.Pause();
            for (var i = 0; i < 50; i++)
            {
                await apis[leaderIndex].PutAsync($"/p/{i:D3}", $"v{i}").WaitAsync(TimeSpan.FromSeconds(10));
            }

            cluster.Members[pausedIndex].Process!.Resume();
            var revision = await apis[leaderIndex].RevisionAsync();
            await Expect.EventuallyAsync(
                async () =>
                {
                    try
                    {
                        var hashes = new HashSet<uint>();
                        foreach (var api in apis)
                        {
                            hashes.Add((await api.HashKVAsync(revision)).Hash);
                        }

                        return hashes.Count == 1;
                    }
                    catch (RpcException)
                    {
                        return false;
                    }
                },
                TimeSpan.FromSeconds(30),
                "equal HashKV on every member once the paused one resumed");
            var hashkv = await EtcdctlAsync(cluster, "endpoint", "hashkv", "-w", "json");
            Assert.True(hashkv.ExitCode == 0, hashkv.ToString());

            // Two of three killed: the survivor cannot commit, but answers from what it has.
            var survivor = pausedIndex;
            foreach (var i in Enumerable.Range(0, 3).Where(i => i != survivor))
            {
                await cluster.Members[i].KillAsync();
            }

            var started = Stopwatch.StartNew();
            var refused = await Assert.ThrowsAsync<RpcException>(() => apis[survivor].PutAsync("/p/lost", "x").WaitAsync(TimeSpan.FromSeconds(30)));
            output.WriteLine($"write refused after {started.ElapsedMilliseconds} ms: {refused.Status.Detail}");
            Assert.Equal(StatusCode.Unavailable, refused.StatusCode);
            Assert.Contains(refused.Status.Detail, new[] { "etcdserver: request timed out", "etcdserver: no leader" });
            Assert.True(started.Elapsed < TimeSpan.FromSeconds(10), $"refused only after {started.Elapsed}");
            var read = await apis[survivor].RangeAsync(new RangeRequest { Key = Bytes.B("/p/049"), Serializable = true });
            Assert.Equal("v49", read.Kvs.Single().Value.ToStringUtf8());

            foreach (var i in Enumerable.Range(0, 3).Where(i => i != survivor))
            {
                await cluster.RestartAsync(cluster.Members[i]);
            }

            await Expect.EventuallyAsync(
                async () =>
                {
                    try
                    {
                        await apis[survivor].PutAsync("/p/after", "y");
                        return true;
                    }
                    catch (RpcException)
                    {
                        return false;
                    }
                },
                TimeSpan.FromSeconds(30),
                "a write through the survivor once the killed members are back");
        }
        finally
        {
            foreach (var channel in channels)
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
