using System.Text.Json;
using MiniKube.Grpc;
using MiniKube.Store.Integration.Tests.Infrastructure;
using MiniKube.Testing;

namespace MiniKube.Store.Integration.Tests.Cluster;

/// <summary>
/// What etcd 3.4 does beyond the membership changes themselves: a learner serves only serializable
/// reads and status until promoted; a restarted member follows the membership in its data
/// directory whatever its (stale) --initial-cluster says; a voter's removal must leave a connected
/// quorum.
/// </summary>
public sealed partial class MembershipTests
{
    [Fact]
    public async Task A_learner_refuses_writes_until_promoted_and_members_restarted_with_a_stale_initial_cluster_follow_the_replicated_membership()
    {
        await using var cluster = await MiniKubeCluster.StartAsync(3);
        var foundingCluster = cluster.InitialCluster;
        await WithLogsAsync(cluster, async () =>
        {
            var (m1, m2, m3) = (cluster.Members[0], cluster.Members[1], cluster.Members[2]);
            await LeaderAsync(cluster);
            await EveryMemberPublishedAsync(m1, 3);
            var before = await EtcdctlAsync(m1, "put", "/before", "learner");
            Assert.True(before.ExitCode == 0, before.ToString());

            var learner = cluster.NewMember("m4");
            var add = await EtcdctlAsync(m1, "member", "add", learner.Name, $"--peer-urls={learner.PeerUrl.OriginalString}", "--learner");
            Assert.True(add.ExitCode == 0, add.ToString());
            var learnerId = AddedRegex().Match(add.StandardOutput).Groups[1].Value;
            var learnerCluster = cluster.InitialCluster;
            await cluster.RestartAsync(learner);

            // etcd's isRPCSupportedForLearner: serializable reads and status are answered...
            await Expect.EventuallyAsync(async () =>
            {
                var get = await EtcdctlAsync(learner, "get", "/before", "--consistency=s", "--print-value-only");
                Assert.True(get.ExitCode == 0, get.ToString());
                return get.StandardOutput.Trim() == "learner";
            }, Patience, "a serializable read on the learner seeing the write made before it joined");
            var status = await EtcdctlAsync(learner, "endpoint", "status", "-w", "json");
            Assert.True(status.ExitCode == 0, status.ToString());
            Assert.True(JsonDocument.Parse(status.StandardOutput).RootElement[0].GetProperty("Status").GetProperty("leader").GetUInt64() != 0, status.StandardOutput);

            // ...a write is not (etcdctl does not retry a put on Unavailable: it exits with the text).
            AssertRefused(await EtcdctlAsync(learner, "put", "/on-learner", "refused"), "etcdserver: rpc not supported for learner");

            await Expect.EventuallyAsync(async () =>
            {
                var promote = await EtcdctlAsync(m1, "member", "promote", learnerId);
                Assert.True(promote.ExitCode == 0 || promote.StandardError.Contains("in sync with leader", StringComparison.Ordinal), promote.ToString());
                return promote.ExitCode == 0;
            }, Patience, "the promotion");
            await Expect.EventuallyAsync(async () => (await EtcdctlAsync(learner, "put", "/on-promoted", "accepted")).ExitCode == 0, Patience, "a put on the promoted member");

            // m2 goes; the cluster is now m1, m3, m4, which neither m1's nor m4's flags say.
            var m2Id = await MemberIdAsync(m2);
            await Expect.EventuallyAsync(async () =>
            {
                var remove = await EtcdctlAsync(m1, "member", "remove", m2Id);
                // etcd's HealthInterval: the stream to the new voter must have been up for 5 s.
                Assert.True(remove.ExitCode == 0 || remove.StandardError.Contains("etcdserver: unhealthy cluster", StringComparison.Ordinal), remove.ToString());
                return remove.ExitCode == 0;
            }, Patience, "the removal of m2");
            await Expect.EventuallyAsync(() => Task.FromResult(m2.Process!.HasExited), Patience, "the removed member stopping");

            // Restarted with the flags they were first started with: the founder names m2 and not
            // m4, the added member names m2 and calls the cluster existing. Both start as members
            // of the cluster in their data directories.
            await m1.KillAsync();
            await cluster.RestartAsync(m1, foundingCluster, "new");
            Assert.Contains("the server is already initialized as member before", m1.Process!.Output, StringComparison.Ordinal);
            await learner.KillAsync();
            await cluster.RestartAsync(learner, learnerCluster, "existing");

            foreach (var member in new[] { m1, m3, learner })
            {
                await Expect.EventuallyAsync(async () =>
                {
                    var list = await EtcdctlAsync(member, "member", "list");
                    var lines = list.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
                    return list.ExitCode == 0 && lines.Length == 3 && !list.StandardOutput.Contains(m2Id, StringComparison.Ordinal)
                        && new[] { m1, m3, learner }.All(m => lines.Any(l => l.Contains($", started, {m.Name}, {m.PeerUrl.OriginalString}, {m.ClientUrl.OriginalString}, false", StringComparison.Ordinal)));
                }, Patience, $"{member.Name} listing m1, m3 and m4 as started voters");
            }

            var put = await EtcdctlAsync(m1, "put", "/after-restart", "both");
            Assert.True(put.ExitCode == 0, put.ToString());
            var get = await EtcdctlAsync(learner, "get", "/after-restart", "--print-value-only");
            Assert.True(get.ExitCode == 0 && get.StandardOutput.Trim() == "both", get.ToString());
        });
    }

    [Fact]
    public async Task Removing_a_healthy_voter_while_another_is_down_is_refused_and_removing_the_stopped_member_works()
    {
        await using var cluster = await MiniKubeCluster.StartAsync(3);
        await WithLogsAsync(cluster, async () =>
        {
            var (m1, m2, m3) = (cluster.Members[0], cluster.Members[1], cluster.Members[2]);
            await LeaderAsync(cluster);
            await EveryMemberPublishedAsync(m1, 3);
            var (m1Id, m2Id, m3Id) = (await MemberIdAsync(m1), await MemberIdAsync(m2), await MemberIdAsync(m3));
            await m3.KillAsync();
            await Expect.EventuallyAsync(async () => await LeaderIdAsync(m1) is var leader && (leader == m1Id || leader == m2Id), Patience, "a leader among the running members");

            // etcd's mayRemoveMember: m2 is up, so it counts in the active quorum; without it only
            // m1 would be connected of the two voters left.
            AssertRefused(await EtcdctlAsync(m1, "member", "remove", m2Id), "etcdserver: unhealthy cluster");

            // m3's stream is down (once m1 noticed): it is no part of the active quorum, and goes.
            // A removal that timed out (a leader elected as it was proposed) may still apply.
            var timedOut = false;
            await Expect.EventuallyAsync(async () =>
            {
                var remove = await EtcdctlAsync(m1, "member", "remove", m3Id);
                if (timedOut && remove.StandardError.Contains("etcdserver: member not found", StringComparison.Ordinal))
                {
                    return true;
                }

                timedOut |= remove.StandardError.Contains("etcdserver: request timed out", StringComparison.Ordinal);
                Assert.True(remove.ExitCode == 0 || timedOut || remove.StandardError.Contains("etcdserver: unhealthy cluster", StringComparison.Ordinal), remove.ToString());
                return remove.ExitCode == 0;
            }, Patience, "the removal of the stopped member");

            var list = await EtcdctlAsync(m2, "member", "list");
            Assert.True(list.ExitCode == 0, list.ToString());
            Assert.Equal(2, list.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
            Assert.DoesNotContain(m3Id, list.StandardOutput, StringComparison.Ordinal);
            var put = await EtcdctlAsync(m2, "put", "/after-removal", "two voters");
            Assert.True(put.ExitCode == 0, put.ToString());
        });
    }

    private static async Task EveryMemberPublishedAsync(MiniKubeCluster.Member member, int count) =>
        await Expect.EventuallyAsync(async () =>
        {
            var lines = (await EtcdctlAsync(member, "member", "list")).StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            return lines.Length == count && lines.All(l => l.Contains(", started,", StringComparison.Ordinal));
        }, Patience, "every member published");

    /// <summary>The leader <paramref name="member"/> knows of, as etcdctl prints IDs; "0" for none.</summary>
    private static async Task<string> LeaderIdAsync(MiniKubeCluster.Member member)
    {
        using var channel = GrpcChannel.ForAddress(member.ClientUrl);
        return $"{(await new EtcdApi(channel).StatusAsync()).Leader:x}";
    }

    /// <summary>The member's ID as etcdctl prints and takes it: lower-case hex.</summary>
    private static async Task<string> MemberIdAsync(MiniKubeCluster.Member member)
    {
        using var channel = GrpcChannel.ForAddress(member.ClientUrl);
        return $"{(await new EtcdApi(channel).StatusAsync()).Header.MemberId:x}";
    }
}
