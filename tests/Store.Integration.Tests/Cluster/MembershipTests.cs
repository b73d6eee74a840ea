using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.RegularExpressions;
using MiniKube.Grpc;
using MiniKube.Store.Integration.Tests.Infrastructure;
using MiniKube.Testing;
using Xunit.Abstractions;

namespace MiniKube.Store.Integration.Tests.Cluster;

/// <summary>
/// Membership changes on MiniKube store processes, driven by the real etcdctl 3.4 as an operator
/// would: member list after every member published, a learner added, caught up, promoted, and an
/// old member removed while a writer keeps writing, and etcd's refusals word for word.
/// </summary>
public sealed partial class MembershipTests(ITestOutputHelper output)
{
    private static readonly Dictionary<string, string> EtcdctlEnvironment = new() { ["ETCDCTL_API"] = "3" };

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Member_list_on_a_follower_shows_every_member_with_its_name_and_client_urls_once_published()
    {
        await using var cluster = await MiniKubeCluster.StartAsync(3);
        await WithLogsAsync(cluster, async () =>
        {
            var leader = await LeaderAsync(cluster);
            var follower = cluster.Members.First(m => m != leader.Member);

            JsonElement[] members = [];
            await Expect.EventuallyAsync(async () =>
            {
                var list = await EtcdctlAsync(follower, "member", "list", "-w", "json");
                Assert.True(list.ExitCode == 0, list.ToString());
                members = [.. JsonDocument.Parse(list.StandardOutput).RootElement.GetProperty("members").EnumerateArray().Select(m => m.Clone())];
                return members.Length == 3 && members.All(m => m.TryGetProperty("clientURLs", out _) && m.TryGetProperty("name", out _));
            }, Patience, "three published members listed by a follower");

            foreach (var member in cluster.Members)
            {
                var listed = Assert.Single(members, m => m.GetProperty("name").GetString() == member.Name);
                Assert.Equal([member.ClientUrl.OriginalString], listed.GetProperty("clientURLs").EnumerateArray().Select(u => u.GetString()));
                Assert.Equal([member.PeerUrl.OriginalString], listed.GetProperty("peerURLs").EnumerateArray().Select(u => u.GetString()));
            }

            var table = await EtcdctlAsync(follower, "member", "list");
            Assert.True(table.ExitCode == 0, table.ToString());
            foreach (var member in cluster.Members)
            {
                Assert.Contains($", started, {member.Name}, {member.PeerUrl.OriginalString}, {member.ClientUrl.OriginalString}, false", table.StandardOutput, StringComparison.Ordinal);
            }
        });
    }

    [Fact]
    public async Task A_learner_added_under_writes_catches_up_is_promoted_and_an_old_member_removed_without_losing_an_acknowledged_write()
    {
        await using var cluster = await MiniKubeCluster.StartAsync(3);
        await WithLogsAsync(cluster, async () =>
        {
            var channels = new ConcurrentDictionary<string, GrpcChannel>();
            EtcdApi Api(MiniKubeCluster.Member member) => new(channels.GetOrAdd(member.Name, _ => GrpcChannel.ForAddress(member.ClientUrl)));
            try
            {
                var writeTarget = cluster.Members[0];
                var leader = await LeaderAsync(cluster);
                var removed = cluster.Members.First(m => m != writeTarget && m != leader.Member);
                var removedId = (await Api(removed).StatusAsync()).Header.MemberId;

                var acknowledged = new ConcurrentDictionary<string, string>();
                var failures = 0;
                using var stop = new CancellationTokenSource();
                var writer = Task.Run(async () =>
                {
                    for (var i = 0; !stop.IsCancellationRequested; i++)
                    {
                        try
                        {
                            await Api(writeTarget).PutAsync($"/w/{i:D6}", $"v{i}");
                            acknowledged[$"/w/{i:D6}"] = $"v{i}";
                        }
                        catch (RpcException)
                        {
                            Interlocked.Increment(ref failures); // unacknowledged: may or may not be applied
                        }
                    }
                });
                await Expect.EventuallyAsync(() => Task.FromResult(acknowledged.Count >= 100), Patience, "writes before the change");

                // etcdctl member add --learner, as an operator adds a member.
                var learner = cluster.NewMember("m4");
                var add = await EtcdctlAsync(writeTarget, "member", "add", learner.Name, $"--peer-urls={learner.PeerUrl.OriginalString}", "--learner");
                Assert.True(add.ExitCode == 0, add.ToString());
                var match = AddedRegex().Match(add.StandardOutput);
                Assert.True(match.Success, add.StandardOutput);
                var learnerId = Convert.ToUInt64(match.Groups[1].Value, 16);
                Assert.Contains("ETCD_INITIAL_CLUSTER_STATE=\"existing\"", add.StandardOutput, StringComparison.Ordinal);
                Assert.Contains($"{learner.Name}={learner.PeerUrl.OriginalString}", add.StandardOutput, StringComparison.Ordinal);
                var listed = await EtcdctlAsync(writeTarget, "member", "list");
                Assert.Contains($"{learnerId:x}, unstarted, , {learner.PeerUrl.OriginalString}, , true", listed.StandardOutput, StringComparison.Ordinal);

                await cluster.RestartAsync(learner);
                output.WriteLine($"learner {learnerId:x} started");

                // etcd refuses a learner behind the leader; once it is in sync, it is promoted.
                ProcessResult promote = new(-1, "", "");
                await Expect.EventuallyAsync(async () =>
                {
                    promote = await EtcdctlAsync(writeTarget, "member", "promote", $"{learnerId:x}");
                    Assert.True(promote.ExitCode == 0 || promote.StandardError.Contains("in sync with leader", StringComparison.Ordinal), promote.ToString());
                    return promote.ExitCode == 0;
                }, Patience, "the promotion");
                Assert.Matches($@"Member\s+{learnerId:x} promoted in cluster", promote.StandardOutput);

                // Caught up: at a revision every member has applied, the promoted learner's HashKV is the
                // others' (a learner answers no HashKV: etcd serves it only Status and serializable reads).
                var revision = await Api(writeTarget).RevisionAsync();
                foreach (var member in cluster.Members)
                {
                    await Expect.EventuallyAsync(async () => (await Api(member).StatusAsync()).Header.Revision >= revision, Patience, $"{member.Name} reaching revision {revision}");
                }

                var hashes = new Dictionary<string, uint>();
                foreach (var member in cluster.Members.Where(m => m != learner))
                {
                    hashes[member.Name] = (await Api(member).HashKVAsync(revision)).Hash;
                }

                hashes[learner.Name] = (await Api(learner).HashKVAsync(revision)).Hash;
                Assert.True(hashes.Values.Distinct().Count() == 1, string.Join(", ", hashes.Select(h => $"{h.Key}={h.Value}")));

                var remove = await EtcdctlAsync(writeTarget, "member", "remove", $"{removedId:x}");
                Assert.True(remove.ExitCode == 0, remove.ToString());
                Assert.Matches($@"Member\s+{removedId:x} removed from cluster", remove.StandardOutput);
                await Expect.EventuallyAsync(() => Task.FromResult(removed.Process!.HasExited), Patience, "the removed member stopping");
                Assert.Contains("the member has been permanently removed from the cluster", removed.Process!.Output, StringComparison.Ordinal);

                var afterChange = acknowledged.Count;
                await Expect.EventuallyAsync(() => Task.FromResult(acknowledged.Count >= afterChange + 100), Patience, "writes after the change");
                await stop.CancelAsync();
                await writer;
                output.WriteLine($"{acknowledged.Count} writes acknowledged, {failures} failed");

                // Every acknowledged write is on the promoted member and on the one that took the writes.
                foreach (var member in new[] { learner, writeTarget })
                {
                    var kvs = (await Api(member).GetPrefixAsync("/w/")).Kvs.ToDictionary(kv => kv.Key.ToStringUtf8(), kv => kv.Value.ToStringUtf8());
                    var missing = acknowledged.Where(a => kvs.GetValueOrDefault(a.Key) != a.Value).Select(a => a.Key).Take(5).ToList();
                    Assert.True(missing.Count == 0, $"{member.Name} lacks acknowledged writes: {string.Join(", ", missing)}");
                }

                var members = await EtcdctlAsync(learner, "member", "list");
                Assert.True(members.ExitCode == 0, members.ToString());
                Assert.Equal(3, members.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
                Assert.Contains($"{learnerId:x}, started, {learner.Name}, {learner.PeerUrl.OriginalString}, {learner.ClientUrl.OriginalString}, false", members.StandardOutput, StringComparison.Ordinal);
                Assert.DoesNotContain($"{removedId:x}", members.StandardOutput, StringComparison.Ordinal);

                // The removed member, restarted on its data, does not rejoin.
                var restart = await Record.ExceptionAsync(() => cluster.RestartAsync(removed));
                if (restart is null)
                {
                    await Expect.EventuallyAsync(() => Task.FromResult(removed.Process!.HasExited), Patience, "the restarted removed member stopping");
                }

                Assert.Contains("the member has been permanently removed from the cluster", restart?.Message ?? removed.Process!.Output, StringComparison.Ordinal);
                var put = await EtcdctlAsync(learner, "put", "/after", "removal");
                Assert.True(put.ExitCode == 0, put.ToString());
            }
            finally
            {
                foreach (var channel in channels.Values)
                {
                    channel.Dispose();
                }
            }
        });
    }

    [Fact]
    public async Task Membership_changes_are_refused_with_etcds_errors()
    {
        await using var cluster = await MiniKubeCluster.StartAsync(3);
        await WithLogsAsync(cluster, async () =>
        {
            var leader = await LeaderAsync(cluster);
            var follower = cluster.Members.First(m => m != leader.Member);
            await Expect.EventuallyAsync(async () => (await EtcdctlAsync(follower, "member", "list")).StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).All(l => l.Contains(", started,", StringComparison.Ordinal)), Patience, "every member published");

            // etcd's HealthInterval: a voter is added only once every peer's stream has been up 5 s.
            ProcessResult existingUrl = new(-1, "", "");
            await Expect.EventuallyAsync(async () =>
            {
                existingUrl = await EtcdctlAsync(follower, "member", "add", "dup", $"--peer-urls={cluster.Members[2].PeerUrl.OriginalString}");
                return !existingUrl.StandardError.Contains("etcdserver: unhealthy cluster", StringComparison.Ordinal);
            }, Patience, "the peers' streams up for 5 s");
            AssertRefused(existingUrl, "etcdserver: Peer URLs already exists");

            var unknown = await EtcdctlAsync(follower, "member", "remove", "1234abcd");
            AssertRefused(unknown, "etcdserver: member not found");

            var voter = await EtcdctlAsync(follower, "member", "promote", $"{leader.Id:x}");
            AssertRefused(voter, "etcdserver: can only promote a learner member");

            // A learner that never started has nothing of the leader's log.
            var absentUrl = $"http://127.0.0.1:{FreePort.Pick()}";
            var add = await EtcdctlAsync(follower, "member", "add", "absent", $"--peer-urls={absentUrl}", "--learner");
            Assert.True(add.ExitCode == 0, add.ToString());
            var absentId = AddedRegex().Match(add.StandardOutput).Groups[1].Value;
            var behind = await EtcdctlAsync(follower, "member", "promote", absentId);
            AssertRefused(behind, "etcdserver: can only promote a learner member which is in sync with leader");
            var behindOnLeader = await EtcdctlAsync(leader.Member, "member", "promote", absentId);
            AssertRefused(behindOnLeader, "etcdserver: can only promote a learner member which is in sync with leader");

            var second = await EtcdctlAsync(follower, "member", "add", "second", $"--peer-urls=http://127.0.0.1:{FreePort.Pick()}", "--learner");
            AssertRefused(second, "etcdserver: too many learner members in cluster");

            var removeLearner = await EtcdctlAsync(follower, "member", "remove", absentId);
            Assert.True(removeLearner.ExitCode == 0, removeLearner.ToString());
            var readd = await EtcdctlAsync(follower, "member", "remove", absentId);
            AssertRefused(readd, "etcdserver: member not found");

            var update = await EtcdctlAsync(follower, "member", "update", $"{leader.Id:x}", $"--peer-urls={cluster.Members.First(m => m != leader.Member).PeerUrl.OriginalString}");
            AssertRefused(update, "etcdserver: Peer URLs already exists");
        });
    }

    /// <summary>Runs <paramref name="body"/>; on failure, prints what each member logged last.</summary>
    private async Task WithLogsAsync(MiniKubeCluster cluster, Func<Task> body)
    {
        try
        {
            await body();
        }
        catch
        {
            foreach (var member in cluster.Members)
            {
                var lines = (member.Process?.Output ?? "(not running)").Split('\n').Where(l => !l.Contains("dbug", StringComparison.Ordinal)).TakeLast(30);
                output.WriteLine($"--- {member.Name}\n{string.Join('\n', lines)}");
            }

            throw;
        }
    }

    private static void AssertRefused(ProcessResult result, string error)
    {
        Assert.True(result.ExitCode != 0, result.ToString());
        // etcdctl's client logs its retries (JSON lines) before the error it exits with.
        Assert.Equal($"Error: {error}", result.StandardError.Trim().Split('\n')[^1]);
    }

    private static Task<ProcessResult> EtcdctlAsync(MiniKubeCluster.Member member, params string[] arguments) =>
        ProcessRunner.RunAsync("/usr/bin/etcdctl", [$"--endpoints={member.ClientUrl.OriginalString}", "--command-timeout=20s", .. arguments], null, TimeSpan.FromSeconds(40), EtcdctlEnvironment);

    private static async Task<(MiniKubeCluster.Member Member, ulong Id)> LeaderAsync(MiniKubeCluster cluster)
    {
        (MiniKubeCluster.Member, ulong)? found = null;
        await Expect.EventuallyAsync(async () =>
        {
            foreach (var member in cluster.Members)
            {
                using var channel = GrpcChannel.ForAddress(member.ClientUrl);
                var status = await new EtcdApi(channel).StatusAsync();
                if (status.Leader != 0 && status.Leader == status.Header.MemberId)
                {
                    found = (member, status.Leader);
                    return true;
                }
            }

            return false;
        }, Patience, "a leader");
        return found!.Value;
    }

    // etcdctl prints IDs with %16x: padded with spaces, not zeros.
    [GeneratedRegex(@"Member\s+([0-9a-f]+) added to cluster\s+[0-9a-f]+")]
    private static partial Regex AddedRegex();
}
