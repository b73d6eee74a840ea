using System.Diagnostics;
using Etcdserverpb;
using Google.Protobuf;
using MiniKube.Etcd.Client;
using MiniKube.Grpc;
using MiniKube.Store.Integration.Tests.Infrastructure;
using MiniKube.Testing;
using MiniKube.Testing.Linearizability;
using Xunit.Abstractions;
// The test infrastructure has its own Cmp and Op for raw requests; these clients use the library's.
using EtcdCmp = MiniKube.Etcd.Client.Cmp;
using EtcdOp = MiniKube.Etcd.Client.Op;

namespace MiniKube.Store.Integration.Tests.Cluster;

/// <summary>
/// Jepsen-style: clients of the project's etcd client do gets, puts, deletes and compare-and-sets
/// on a few keys of a 3-member cluster while a seeded nemesis kills the leader or a follower with
/// SIGKILL, freezes a member with SIGSTOP, freezes two at once (the quorum gone: writes and
/// linearizable reads fail with etcd's errors, serializable reads still answer), and brings them back. Whatever the clients saw must be
/// linearizable, every acknowledged write must be in every member's history, and the members must
/// end with equal HashKV.
/// </summary>
public sealed class ChaosLinearizabilityTests(ITestOutputHelper output)
{
    private static readonly TimeSpan ChaosDuration = TimeSpan.FromSeconds(22);

    [Fact]
    public async Task Histories_recorded_while_members_are_killed_paused_and_restarted_are_linearizable_and_lose_no_acknowledged_write()
    {
        var seed = Environment.TickCount;
        output.WriteLine($"seed {seed}");
        var log = new NemesisLog(output);
        await using var cluster = await MiniKubeCluster.StartAsync(3);
        var channels = cluster.Members.Select(m => GrpcChannel.ForAddress(m.ClientUrl)).ToList();
        try
        {
            var apis = channels.Select(c => new EtcdApi(c)).ToList();
            var ids = new List<ulong>();
            foreach (var api in apis)
            {
                ids.Add((await api.StatusAsync()).Header.MemberId);
            }

            var workload = new ChaosWorkload(cluster.Members.Select(m => m.ClientUrl).ToList(), $"/chaos/{seed}/", seed);
            using var stop = new CancellationTokenSource();
            var clients = workload.RunAsync(stop.Token);
            var nemesis = new Nemesis(cluster, apis, ids, new Random(seed), log);
            try
            {
                await nemesis.RunAsync(ChaosDuration);
            }
            finally
            {
                await nemesis.HealAsync();
                await stop.CancelAsync();
                await clients;
            }

            var history = workload.Recorder.History();
            var summary = $"seed {seed}: {history.Count} operations ({Acknowledged(history).Count} acknowledged writes), {workload.Recorder.UnknownCount} with unknown outcome; nemesis: {string.Join(", ", nemesis.Faults)}";
            output.WriteLine(summary);
            Assert.True(history.Count(o => !o.IsUnknown) > 200, $"too little got through: {summary}\n{log}");
            // The quorum loss and at least one single fault: a restart on a loaded machine can take
            // a good part of the run.
            Assert.True(nemesis.Faults.Count >= 2, $"the nemesis barely ran: {summary}\n{log}");
            Assert.True(nemesis.QuorumLossProbes.Count == 0, $"without a quorum: {string.Join("; ", nemesis.QuorumLossProbes)}\n{summary}\n{log}");

            var checking = Stopwatch.StartNew();
            var result = LinearizabilityChecker.Check(KvModel.Instance, history, TimeSpan.FromSeconds(60));
            output.WriteLine($"checked in {checking.ElapsedMilliseconds} ms: {result.Outcome}");
            Assert.True(result.IsLinearizable, $"{summary}\n{result}\n{log}");

            await AssertConvergedAsync(apis, summary, log);
            await AssertAcknowledgedWritesKeptAsync(apis, history, summary);
        }
        catch
        {
            foreach (var member in cluster.Members.Where(m => m.Process is not null))
            {
                output.WriteLine($"--- {member.Name} (last lines)");
                output.WriteLine(string.Join('\n', member.Process!.Output.Split('\n').TakeLast(40)));
            }

            throw;
        }
        finally
        {
            foreach (var channel in channels)
            {
                channel.Dispose();
            }
        }
    }

    /// <summary>Every member, once healed, reaches the same revision with the same HashKV.</summary>
    private static async Task AssertConvergedAsync(IReadOnlyList<EtcdApi> apis, string summary, NemesisLog log)
    {
        var giveUp = Stopwatch.StartNew();
        var last = "";
        while (true)
        {
            try
            {
                // A linearizable read on each member first: each has then applied all that was committed.
                var revisions = new List<long>();
                foreach (var api in apis)
                {
                    revisions.Add(await api.RevisionAsync());
                }

                var hashes = new List<(uint Hash, long Revision)>();
                foreach (var api in apis)
                {
                    var hash = await api.HashKVAsync(revisions.Max());
                    hashes.Add((hash.Hash, hash.Header.Revision));
                }

                last = $"revisions {string.Join(", ", revisions)}; hashkv {string.Join(", ", hashes)}";
                if (hashes.Distinct().Count() == 1)
                {
                    return;
                }
            }
            catch (RpcException e)
            {
                last = e.Message;
            }

            Assert.True(giveUp.Elapsed < TimeSpan.FromSeconds(60), $"no equal HashKV on every member within 60 s ({summary}); last: {last}\n{log}");
            await Task.Delay(200);
        }
    }

    /// <summary>
    /// An acknowledged put or compare-and-set wrote its value at the revision it answered with,
    /// and an acknowledged delete removed the key at its revision: read back at that revision
    /// from every member's own copy (serializable), nothing acknowledged is missing anywhere.
    /// </summary>
    private static async Task AssertAcknowledgedWritesKeptAsync(IReadOnlyList<EtcdApi> apis, IReadOnlyList<Operation<KvInput, KvOutput>> history, string summary)
    {
        var acknowledged = Acknowledged(history);
        var missing = new List<string>();
        foreach (var (api, m) in apis.Select((a, i) => (a, i)))
        {
            foreach (var op in acknowledged)
            {
                var read = await api.RangeAsync(new RangeRequest { Key = Bytes.B(op.Input.Key), Revision = op.Output!.Revision, Serializable = true });
                var found = read.Kvs.Count == 0 ? "absent" : $"{read.Kvs[0].Value.ToStringUtf8()}@{read.Kvs[0].ModRevision}";
                var expected = op.Input.Op == KvOp.Delete ? "absent" : $"{op.Input.Value}@{op.Output.Revision}";
                if (found != expected)
                {
                    missing.Add($"member {m + 1}: {KvModel.Instance.DescribeOperation(op.Input, op.Output)} but at revision {op.Output.Revision} the key is {found}");
                }
            }
        }

        Assert.True(missing.Count == 0, $"{summary}: acknowledged writes not kept:\n{string.Join('\n', missing.Take(30))}");
    }

    /// <summary>Puts, deletes and successful compare-and-sets whose answer came back.</summary>
    private static List<Operation<KvInput, KvOutput>> Acknowledged(IReadOnlyList<Operation<KvInput, KvOutput>> history) =>
        [.. history.Where(o => o.Output is { } result && (o.Input.Op is KvOp.Put or KvOp.Delete || (o.Input.Op is KvOp.CasRevision or KvOp.CasValue && result.Succeeded)))];

    /// <summary>
    /// Six clients, each an <see cref="EtcdClient"/> of its own: three pinned to one member each
    /// (they see that member die and come back), three given every endpoint in a different order
    /// (they fail over). Each operation has a deadline, so a frozen member costs a client seconds
    /// at most; after a failure a client waits a little, as a real one backs off.
    /// </summary>
    private sealed class ChaosWorkload(IReadOnlyList<Uri> endpoints, string prefix, int seed)
    {
        private const int Keys = 4;

        public HistoryRecorder<KvInput, KvOutput> Recorder { get; } = new();

        public Task RunAsync(CancellationToken stop)
        {
            var clients = new List<Task>();
            for (var c = 0; c < 6; c++)
            {
                var client = c;
                var ordered = client < 3 ? [endpoints[client]] : endpoints.Skip(client % 3).Concat(endpoints.Take(client % 3)).ToList();
                clients.Add(Task.Run(() => ClientAsync(client, ordered, stop), CancellationToken.None));
            }

            return Task.WhenAll(clients);
        }

        private async Task ClientAsync(int client, IReadOnlyList<Uri> clientEndpoints, CancellationToken stop)
        {
            var random = new Random(HashCode.Combine(seed, client));
            await using var etcd = new EtcdClient(new EtcdClientOptions { Endpoints = clientEndpoints, DialTimeout = TimeSpan.FromSeconds(1), DefaultRequestTimeout = TimeSpan.FromSeconds(2) });
            var seen = new Dictionary<string, (string? Value, long ModRevision)>();
            for (var n = 0; !stop.IsCancellationRequested; n++)
            {
                var key = prefix + random.Next(Keys);
                var value = $"c{client}-{n}";
                seen.TryGetValue(key, out var last);
                var input = random.Next(10) switch
                {
                    < 4 => KvInput.Get(key),
                    < 6 => KvInput.Put(key, value),
                    6 => KvInput.Delete(key),
                    7 or 8 => KvInput.CasRevision(key, last.ModRevision, value),
                    _ => KvInput.CasValue(key, last.Value ?? "none", value),
                };
                var result = await Recorder.RecordAsync(client, input, () => CallAsync(etcd, input)).ConfigureAwait(false);
                if (result is null)
                {
                    await Task.Delay(random.Next(20, 100), CancellationToken.None).ConfigureAwait(false);
                }
                else if (input.Op == KvOp.Get)
                {
                    seen[key] = (result.Value, result.ModRevision);
                }
            }
        }

        private static async Task<KvOutput> CallAsync(EtcdClient etcd, KvInput input)
        {
            switch (input.Op)
            {
                case KvOp.Get:
                    var range = await etcd.GetAsync(input.Key).ConfigureAwait(false);
                    return range.Kvs.Count == 0 ? KvOutput.Got(null, 0) : KvOutput.Got(range.Kvs[0].Value.ToStringUtf8(), range.Kvs[0].ModRevision);
                case KvOp.Put:
                    return KvOutput.Put((await etcd.PutAsync(input.Key, input.Value!).ConfigureAwait(false)).Header.Revision);
                case KvOp.Delete:
                    var delete = await etcd.DeleteAsync(input.Key).ConfigureAwait(false);
                    return KvOutput.Delete(delete.Deleted, delete.Header.Revision);
                default:
                    var compare = input.Op == KvOp.CasRevision ? EtcdCmp.ModRevision(input.Key).Equal(input.ExpectedRevision) : EtcdCmp.Value(input.Key).Equal(input.ExpectedValue!);
                    var txn = await etcd.Txn().If(compare).Then(EtcdOp.Put(input.Key, input.Value!)).CommitAsync().ConfigureAwait(false);
                    return KvOutput.Cas(txn.Succeeded, txn.Header.Revision);
            }
        }
    }

    /// <summary>
    /// The seeded fault injector: a quiet spell, then one fault held for a while (kill -9 of the
    /// leader or of a follower, SIGSTOP of the leader or of a follower), then repair (restart,
    /// SIGCONT). One fault at a time, so a quorum is up most of the time and clients make progress.
    /// </summary>
    private sealed class Nemesis(MiniKubeCluster cluster, IReadOnlyList<EtcdApi> apis, IReadOnlyList<ulong> ids, Random random, NemesisLog log)
    {
        public List<string> Faults { get; } = [];

        /// <summary>What went wrong while the quorum was gone (empty when all was as etcd does it).</summary>
        public List<string> QuorumLossProbes { get; } = [];

        public async Task RunAsync(TimeSpan duration)
        {
            var clock = Stopwatch.StartNew();
            await Task.Delay(TimeSpan.FromMilliseconds(random.Next(500, 1500)));
            await TakeQuorumAwayAsync();
            while (clock.Elapsed < duration)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(random.Next(500, 1500)));
                var fault = random.Next(4);
                var leader = await LeaderAsync();
                var target = fault is 0 or 2 && leader is { } l
                    ? l
                    : cluster.Members.Where(m => m != leader).ElementAt(random.Next(cluster.Members.Count - (leader is null ? 0 : 1)));
                var role = target == leader ? "leader" : "follower";
                var hold = TimeSpan.FromMilliseconds(random.Next(500, 3000));
                if (fault < 2)
                {
                    log.Add($"kill -9 {target.Name} ({role}), restart after {hold.TotalMilliseconds:F0} ms");
                    Faults.Add($"kill {role}");
                    await target.KillAsync();
                    await Task.Delay(hold);
                    await cluster.RestartAsync(target);
                    log.Add($"{target.Name} restarted");
                }
                else
                {
                    log.Add($"SIGSTOP {target.Name} ({role}) for {hold.TotalMilliseconds:F0} ms");
                    Faults.Add($"pause {role}");
                    target.Pause();
                    await Task.Delay(hold);
                    target.Resume();
                    log.Add($"SIGCONT {target.Name}");
                }
            }
        }

        /// <summary>
        /// SIGSTOP two of the three members, then, on the one left running: a put and a linearizable
        /// read must fail within the server's request timeout (5 s + 2 election timeouts) with etcd's
        /// Unavailable "request timed out" or "no leader", and a serializable read must still answer.
        /// The probes use a key of their own: the put's outcome is unknown, and stays out of the history.
        /// </summary>
        private async Task TakeQuorumAwayAsync()
        {
            var running = random.Next(cluster.Members.Count);
            var paused = cluster.Members.Where((_, i) => i != running).ToList();
            log.Add($"SIGSTOP {string.Join(" and ", paused.Select(m => m.Name))}: the quorum is gone, {cluster.Members[running].Name} alone runs");
            Faults.Add("pause two");
            foreach (var member in paused)
            {
                member.Pause();
            }

            try
            {
                var api = apis[running];
                var probeKey = ByteString.CopyFromUtf8($"/chaos-probe/{random.Next()}");
                string[] etcdErrors = ["etcdserver: request timed out", "etcdserver: no leader"];
                var within = TimeSpan.FromSeconds(9);

                async Task ExpectUnavailableAsync(string what, Func<CallOptions, Task> call)
                {
                    var clock = Stopwatch.StartNew();
                    try
                    {
                        await call(new CallOptions(Deadline: DateTime.UtcNow + within + TimeSpan.FromSeconds(3)));
                        QuorumLossProbes.Add($"{what} succeeded without a quorum");
                    }
                    catch (RpcException e) when (e.StatusCode == StatusCode.Unavailable && etcdErrors.Contains(e.Status.Detail) && clock.Elapsed < within)
                    {
                        log.Add($"{what}: {e.Status.Detail} after {clock.ElapsedMilliseconds} ms");
                    }
                    catch (RpcException e)
                    {
                        QuorumLossProbes.Add($"{what}: {e.StatusCode} \"{e.Status.Detail}\" after {clock.ElapsedMilliseconds} ms");
                    }
                }

                var put = ExpectUnavailableAsync("put", options => api.Channel.UnaryAsync(EtcdMethods.Put, new PutRequest { Key = probeKey, Value = probeKey }, options));
                var linearizable = ExpectUnavailableAsync("linearizable get", options => api.Channel.UnaryAsync(EtcdMethods.Range, new RangeRequest { Key = probeKey }, options));
                try
                {
                    await api.Channel.UnaryAsync(EtcdMethods.Range, new RangeRequest { Key = probeKey, Serializable = true }, new CallOptions(Deadline: DateTime.UtcNow.AddSeconds(3)));
                    log.Add("serializable get answered");
                }
                catch (RpcException e)
                {
                    QuorumLossProbes.Add($"serializable get: {e.StatusCode} \"{e.Status.Detail}\"");
                }

                await Task.WhenAll(put, linearizable);
            }
            finally
            {
                foreach (var member in paused)
                {
                    member.Resume();
                }

                log.Add($"SIGCONT {string.Join(" and ", paused.Select(m => m.Name))}");
            }
        }

        /// <summary>Every member running and resumed.</summary>
        public async Task HealAsync()
        {
            foreach (var member in cluster.Members)
            {
                if (member.IsPaused)
                {
                    member.Resume();
                }
                else if (!member.IsRunning)
                {
                    await cluster.RestartAsync(member);
                }
            }

            log.Add("healed");
        }

        /// <summary>The member that the reachable members agree leads, or null if they do not (yet).</summary>
        private async Task<MiniKubeCluster.Member?> LeaderAsync()
        {
            var leaders = new List<ulong>();
            foreach (var (member, api) in cluster.Members.Zip(apis))
            {
                if (!member.IsRunning || member.IsPaused)
                {
                    continue;
                }

                try
                {
                    var status = await api.Channel.UnaryAsync(EtcdMethods.Status, new StatusRequest(), new CallOptions(Deadline: DateTime.UtcNow.AddSeconds(1)));
                    leaders.Add(status.Leader);
                }
                catch (RpcException)
                {
                    // Starting or unreachable: it has no say.
                }
            }

            var agreed = leaders.GroupBy(l => l).OrderByDescending(g => g.Count()).FirstOrDefault()?.Key ?? 0;
            var index = ids.ToList().IndexOf(agreed);
            return index < 0 ? null : cluster.Members[index];
        }
    }

    /// <summary>What the nemesis did and when, for the failure message and the test output.</summary>
    private sealed class NemesisLog(ITestOutputHelper output)
    {
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private readonly List<string> _lines = [];

        public void Add(string line)
        {
            var stamped = $"{_clock.Elapsed.TotalSeconds,7:F3}s {line}";
            lock (_lines)
            {
                _lines.Add(stamped);
            }

            output.WriteLine(stamped);
        }

        public override string ToString()
        {
            lock (_lines)
            {
                return "nemesis:\n" + string.Join('\n', _lines);
            }
        }
    }
}
