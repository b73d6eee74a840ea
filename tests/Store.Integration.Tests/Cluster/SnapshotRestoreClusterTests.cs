using Etcdserverpb;
using MiniKube.Grpc;
using MiniKube.Store.Integration.Tests.Infrastructure;
using MiniKube.Testing;
using Xunit.Abstractions;

namespace MiniKube.Store.Integration.Tests.Cluster;

/// <summary>
/// Disaster recovery of a multi-member cluster as the Kubernetes docs teach it ("Restoring an
/// etcd cluster"): <c>etcdctl snapshot save</c> from one member, the old cluster gone,
/// <c>mkctl etcd snapshot restore</c> of the one file into a data directory per new member with
/// the new --initial-cluster, and the new members started on them.
/// </summary>
public sealed class SnapshotRestoreClusterTests(ITestOutputHelper output)
{
    private const string RestoredToken = "restored-cluster";
    private static readonly Dictionary<string, string> EtcdctlEnvironment = new() { ["ETCDCTL_API"] = "3" };

    [Fact]
    public async Task A_snapshot_of_one_member_restored_into_three_new_members_elects_a_leader_with_every_key_a_new_cluster_id_and_takes_writes()
    {
        var seed = Environment.TickCount;
        output.WriteLine($"seed {seed}");
        var random = new Random(seed);
        var backupDir = TestDirectories.Create("cluster-backup");
        var snapshot = Path.Combine(backupDir, "snapshot.db");
        try
        {
            Dictionary<string, (string Value, long ModRevision)> before;
            ulong oldClusterId;
            long oldRevision;
            await using (var old = await MiniKubeCluster.StartAsync(3))
            {
                using var channel = GrpcChannel.ForAddress(old.Members[0].ClientUrl);
                var api = new EtcdApi(channel);
                for (var i = 0; i < 100; i++)
                {
                    await api.PutAsync($"/registry/pods/ns{i % 4}/pod-{i:D3}", $"spec-{random.Next()}");
                }

                for (var i = 0; i < 20; i++)
                {
                    var pod = random.Next(100);
                    await api.PutAsync($"/registry/pods/ns{pod % 4}/pod-{pod:D3}", $"updated-{random.Next()}");
                }

                await api.DeleteAsync("/registry/pods/ns1/pod-001");
                // Linearizable from a member that did not take the writes: it has them all.
                using var other = GrpcChannel.ForAddress(old.Members[2].ClientUrl);
                var everything = await new EtcdApi(other).GetPrefixAsync("/registry/");
                before = everything.Kvs.ToDictionary(kv => kv.Key.ToStringUtf8(), kv => (kv.Value.ToStringUtf8(), kv.ModRevision));
                oldRevision = everything.Header.Revision;
                oldClusterId = everything.Header.ClusterId;
                Assert.Equal(99, before.Count);

                // Saved from a follower or the leader alike: whichever member the seed picks.
                var source = old.Members[random.Next(3)];
                var save = await ProcessRunner.RunAsync("/usr/bin/etcdctl", [$"--endpoints={source.ClientUrl.OriginalString}", "snapshot", "save", snapshot], null, TimeSpan.FromSeconds(60), EtcdctlEnvironment);
                Assert.True(save.ExitCode == 0, save.ToString());
                output.WriteLine($"saved from {source.Name}: {save.StandardOutput.Trim()}");
            }

            // The old cluster is gone, data directories and all; three new members with other ports.
            var members = MiniKubeCluster.NewMembers(3);
            var initialCluster = string.Join(",", members.Select(m => $"{m.Name}={m.PeerUrl.OriginalString}"));
            foreach (var member in members)
            {
                var restore = await ProcessRunner.RunAsync(
                    "dotnet",
                    [Path.Combine(AppContext.BaseDirectory, "mkctl.dll"), "etcd", "snapshot", "restore", snapshot, "--data-dir", member.DataDir, "--name", member.Name,
                     "--initial-cluster", initialCluster, "--initial-cluster-token", RestoredToken, "--initial-advertise-peer-urls", member.PeerUrl.OriginalString],
                    null,
                    TimeSpan.FromSeconds(60));
                Assert.True(restore.ExitCode == 0, restore.ToString());
                output.WriteLine(restore.StandardOutput.Trim());
                // What it says to run names the peers: without them the member would wait for votes forever.
                Assert.Contains($"--initial-advertise-peer-urls {member.PeerUrl.OriginalString} --listen-peer-urls {member.PeerUrl.OriginalString} --initial-cluster {initialCluster} --initial-cluster-token {RestoredToken}", restore.StandardOutput, StringComparison.Ordinal);
            }

            await using var restored = await MiniKubeCluster.StartAsync(members, RestoredToken);
            var channels = restored.Members.Select(m => GrpcChannel.ForAddress(m.ClientUrl)).ToList();
            try
            {
                var apis = channels.Select(c => new EtcdApi(c)).ToList();
                var leader = await AgreedLeaderAsync(apis);
                var statuses = new List<StatusResponse>();
                foreach (var api in apis)
                {
                    statuses.Add(await api.StatusAsync());
                }

                var ids = statuses.Select(s => s.Header.MemberId).ToList();
                Assert.Contains(leader, ids);
                var newClusterId = statuses[0].Header.ClusterId;
                Assert.All(statuses, s => Assert.Equal(newClusterId, s.Header.ClusterId));
                Assert.NotEqual(oldClusterId, newClusterId);

                // Names (and client URLs) are empty until each member has published them through Raft, as in etcd.
                await Expect.EventuallyAsync(
                    async () => (await apis[1].MemberListAsync()).Members.All(m => m.Name.Length > 0), TimeSpan.FromSeconds(60), "every restored member publishing its name");
                var memberList = await apis[1].MemberListAsync();
                Assert.Equal(
                    members.Select(m => (m.Name, m.PeerUrl.OriginalString)).Order(),
                    memberList.Members.Select(m => (m.Name, m.PeerURLs.Single())).Order());

                foreach (var (api, i) in apis.Select((a, i) => (a, i)))
                {
                    // Linearizable on each member: what the cluster as a whole now holds.
                    var read = await api.GetPrefixAsync("/registry/");
                    var after = read.Kvs.ToDictionary(kv => kv.Key.ToStringUtf8(), kv => (kv.Value.ToStringUtf8(), kv.ModRevision));
                    Assert.True(before.Count == after.Count && before.All(kv => after.TryGetValue(kv.Key, out var v) && v == kv.Value), $"member {members[i].Name}: {after.Count} keys, not the {before.Count} saved");
                    Assert.Equal(oldRevision, read.Header.Revision);
                }

                await AssertEqualHashKVAsync(apis, oldRevision);

                // Writes go on from the restored revision, through a follower too, and reach every member.
                var follower = apis[ids.FindIndex(id => id != leader)];
                var write = await follower.PutAsync("/registry/pods/ns0/after-restore", "new");
                Assert.Equal(oldRevision + 1, write.Header.Revision);
                foreach (var api in apis)
                {
                    Assert.Equal("new", (await api.GetAsync("/registry/pods/ns0/after-restore")).Kvs.Single().Value.ToStringUtf8());
                }

                await AssertEqualHashKVAsync(apis, oldRevision + 1);
                var hashkv = await ProcessRunner.RunAsync("/usr/bin/etcdctl", [$"--endpoints={restored.Endpoints}", "endpoint", "hashkv", "-w", "json"], null, TimeSpan.FromSeconds(30), EtcdctlEnvironment);
                Assert.True(hashkv.ExitCode == 0, hashkv.ToString());
            }
            finally
            {
                foreach (var channel in channels)
                {
                    channel.Dispose();
                }
            }
        }
        finally
        {
            TestDirectories.Delete(backupDir);
        }
    }

    private static async Task AssertEqualHashKVAsync(IReadOnlyList<EtcdApi> apis, long revision)
    {
        var hashes = new List<(uint Hash, long CompactRevision)>();
        foreach (var api in apis)
        {
            var hash = await api.HashKVAsync(revision);
            hashes.Add((hash.Hash, hash.CompactRevision));
        }

        Assert.True(hashes.Distinct().Count() == 1, $"HashKV at {revision}: {string.Join(", ", hashes)}");
    }

    /// <summary>The leader every member agrees on, waiting (generously) for the first election.</summary>
    private static async Task<ulong> AgreedLeaderAsync(IReadOnlyList<EtcdApi> apis)
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

                    leader = leaders.First();
                    return leaders.Count == 1 && leader != 0;
                }
                catch (RpcException)
                {
                    return false;
                }
            },
            TimeSpan.FromSeconds(30),
            "one leader agreed on by every restored member");
        return leader;
    }
}
