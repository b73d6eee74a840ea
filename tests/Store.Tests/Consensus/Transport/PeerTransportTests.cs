using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Etcdserverpb;
using Google.Protobuf;
using MiniKube.Raft.Pb;
using MiniKube.Store.Consensus.Transport;
using MiniKube.Store.Internal;
using MiniKube.Store.Server;
using Xunit.Abstractions;

namespace MiniKube.Store.Tests.Consensus.Transport;

/// <summary>Raft hosts whose messages cross real HTTP/2 streams on loopback.</summary>
public sealed class PeerTransportTests(ITestOutputHelper output)
{
    internal static byte[] Put(string key, string value) =>
        new InternalRequest { Put = new PutRequest { Key = ByteString.CopyFromUtf8(key), Value = ByteString.CopyFromUtf8(value) } }.ToByteArray();

    internal static async Task WaitConvergedAsync(LoopbackCluster cluster)
    {
        var running = cluster.Members.Where(m => m.IsRunning).ToList();
        var last = running.Max(m => m.Host!.CommitIndex);
        foreach (var member in running)
        {
            await member.Host!.WaitAppliedAsync(last).WaitAsync(LoopbackCluster.Wait);
        }
    }

    internal static void AssertSameHash(LoopbackCluster cluster)
    {
        var hashes = cluster.Members.Where(m => m.IsRunning).Select(m => (m.Id, Hash: m.Store!.Mvcc.HashKV(0))).ToList();
        Assert.All(hashes, h => Assert.True(h.Hash == hashes[0].Hash, $"member {h.Id} has {h.Hash}, member {hashes[0].Id} has {hashes[0].Hash}"));
    }

    [Fact]
    public async Task Three_hosts_over_http2_elect_a_leader_and_replicate_writes_proposed_anywhere()
    {
        await using var cluster = await LoopbackCluster.StartAsync(3, output);
        await cluster.ElectAsync(cluster[2]);

        for (var i = 0; i < 30; i++)
        {
            var applied = (AppliedWrite)(await LoopbackCluster.ProposeAsync(cluster.Members[i % 3], Put($"k{i % 7}", $"v{i}")))!;
            Assert.Null(applied.Error);
        }

        await WaitConvergedAsync(cluster);
        AssertSameHash(cluster);
        Assert.All(cluster.Members, m => Assert.Equal(31, m.Store!.Mvcc.Revision));
        Assert.All(cluster.Members, m => Assert.Equal(0, m.Transport!.DroppedMessages));
        Assert.All(cluster.Members, m => Assert.True(m.Transport!.SentMessages > 0));
    }

    [Fact]
    public async Task Entries_larger_than_the_http2_flow_control_windows_cross_the_stream_whole()
    {
        // 900 KB values: each append is split into DATA frames of the peer's frame size and waits
        // for WINDOW_UPDATEs (Kestrel's windows are 96-128 KiB), on the forwarded proposal and on
        // both appends.
        await using var cluster = await LoopbackCluster.StartAsync(3, output);
        var leader = await cluster.ElectAsync(cluster[1]);
        var follower = cluster.Members.First(m => m != leader);
        var value = new string('x', 900 * 1024);

        for (var i = 0; i < 4; i++)
        {
            var applied = (AppliedWrite)(await LoopbackCluster.ProposeAsync(follower, Put($"big{i}", value + i)))!;
            Assert.Null(applied.Error);
        }

        await WaitConvergedAsync(cluster);
        AssertSameHash(cluster);
        Assert.All(cluster.Members, m => Assert.Equal(5, m.Store!.Mvcc.Revision));
        Assert.All(cluster.Members, m => Assert.Equal(0, m.Transport!.DroppedMessages));
    }

    [Fact]
    public async Task A_peer_that_is_down_is_reported_unreachable_and_catches_up_when_back()
    {
        await using var cluster = await LoopbackCluster.StartAsync(3, output);
        var leader = await cluster.ElectAsync(cluster[1]);
        var down = cluster.Members.First(m => m != leader);
        await LoopbackCluster.EventuallyAsync(() => leader.Transport!.IsActive(down.Id), "the leader's stream to the member is up");

        await down.StopListeningAsync();
        await LoopbackCluster.EventuallyAsync(() => leader.Unreachable.Contains(down.Id), "the leader reports the member unreachable");
        Assert.False(leader.Transport!.IsActive(down.Id));
        for (var i = 0; i < 20; i++)
        {
            await LoopbackCluster.ProposeAsync(leader, Put($"down{i}", "x"));
        }

        var behind = down.Host!.AppliedIndex;
        Assert.True(behind < leader.Host!.AppliedIndex, $"member {down.Id} applied {behind} while cut off");

        await down.ListenAsync();
        await LoopbackCluster.EventuallyAsync(() => down.Host!.AppliedIndex >= leader.Host!.AppliedIndex, "the member catches up");
        await WaitConvergedAsync(cluster);
        AssertSameHash(cluster);
        Assert.True(leader.Transport!.IsActive(down.Id));
    }

    [Fact]
    public async Task A_stream_from_another_cluster_is_refused_with_412_and_never_becomes_active()
    {
        var handler = new SwitchableHandler(LoopbackCluster.ClusterId);
        await using var server = await PeerServer.StartAsync(handler);
        using var client = new HttpClient(new SocketsHttpHandler()) { DefaultRequestVersion = HttpVersion.Version20, DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact };
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(server.Url, PeerHeaders.StreamPath))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new ByteArrayContent([]),
        };
        request.Headers.Add(PeerHeaders.ClusterId, "deadbeef");
        request.Headers.Add(PeerHeaders.From, "2");

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.PreconditionFailed, response.StatusCode);
        Assert.Equal(PeerHeaders.ClusterIdMismatch, await response.Content.ReadAsStringAsync());
        Assert.Equal(PeerHeaders.FormatId(LoopbackCluster.ClusterId), response.Headers.GetValues(PeerHeaders.ClusterId).Single());

        var unreachable = 0;
        await using var stranger = new PeerTransport(new PeerTransportOptions { MemberId = 2, ClusterId = 0xdeadbeef, InitialBackoff = TimeSpan.FromMilliseconds(10) });
        stranger.Attach(_ => Interlocked.Increment(ref unreachable), (_, _) => { });
        stranger.AddPeer(1, [server.Url]);
        await LoopbackCluster.EventuallyAsync(() => Volatile.Read(ref unreachable) >= 2, "the refused peer is reported unreachable on each attempt");
        Assert.False(stranger.IsActive(1));
    }

    [Fact]
    public async Task Send_drops_and_counts_instead_of_blocking_when_a_peer_queue_is_full()
    {
        // A listener that accepts connections and never answers: the stream stays in its dial,
        // so nothing drains the queue.
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var accepted = new List<Socket>();
        _ = Task.Run(async () =>
        {
            while (true)
            {
                accepted.Add(await silent.AcceptSocketAsync());
            }
        });
        var unreachable = new List<ulong>();
        await using var transport = new PeerTransport(new PeerTransportOptions { MemberId = 1, ClusterId = 7, QueueCapacity = 16, DialTimeout = TimeSpan.FromMinutes(5) });
        transport.Attach(unreachable.Add, (_, _) => { });
        transport.AddPeer(2, [new Uri($"http://127.0.0.1:{((IPEndPoint)silent.LocalEndpoint).Port}")]);
        var messages = Enumerable.Range(0, 10_000).Select(i => new Message { Type = MessageType.MsgApp, To = 2, From = 1, Index = (ulong)i, Entries = { new Entry { Data = ByteString.CopyFrom(new byte[100]) } } }).ToList();

        var clock = Stopwatch.StartNew();
        transport.Send(messages);
        transport.Send([new Message { Type = MessageType.MsgHeartbeat, To = 3, From = 1 }]);
        clock.Stop();

        // The client may already be writing the first frames into the socket (up to its first
        // buffer and HTTP/2 window, well under 2000 of these messages); all the rest must be dropped.
        var dropped = transport.DroppedMessages;
        Assert.InRange(dropped, 10_000 - 16 - 2_000 + 1, 10_000 - 16 + 1);
        Assert.Equal([2ul], unreachable); // once per batch, not once per message
        Assert.False(transport.IsActive(2));
        output.WriteLine($"10000 sends with a full queue took {clock.Elapsed.TotalMilliseconds:F1} ms");
    }

    [Fact]
    public async Task Members_and_version_are_served_as_etcd_serves_them_to_peers()
    {
        var handler = new SwitchableHandler(LoopbackCluster.ClusterId);
        handler.KnownMembers.Add(new PeerMember(0x8e9e05c52164694d, "n1", ["http://127.0.0.1:2380"], ["http://127.0.0.1:2379"]));
        await using var server = await PeerServer.StartAsync(handler);
        using var client = new HttpClient(new SocketsHttpHandler()) { DefaultRequestVersion = HttpVersion.Version20, DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact };

        var members = await client.GetStringAsync(new Uri(server.Url, PeerHeaders.MembersPath));
        var version = await client.GetStringAsync(new Uri(server.Url, PeerHeaders.VersionPath));

        Assert.Equal("""[{"id":10276657743932975437,"name":"n1","peerURLs":["http://127.0.0.1:2380"],"clientURLs":["http://127.0.0.1:2379"],"isLearner":false}]""", members);
        Assert.Equal($$"""{"etcdserver":"{{StoreServer.Version}}","etcdcluster":"{{StoreServer.ClusterVersion}}"}""", version);
    }

    [Fact]
    public async Task Sequential_proposals_on_a_three_member_cluster_report_their_latency()
    {
        var count = int.TryParse(Environment.GetEnvironmentVariable("MINIKUBE_RAFT_BENCH_PROPOSALS"), out var n) ? n : 200;
        await using var cluster = await LoopbackCluster.StartAsync(3, output);
        var leader = await cluster.ElectAsync(cluster[1]);
        await LoopbackCluster.ProposeAsync(leader, Put("warm", "up"));

        var clock = Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            await LoopbackCluster.ProposeAsync(leader, Put($"seq{i}", "v"));
        }

        clock.Stop();
        await WaitConvergedAsync(cluster);
        AssertSameHash(cluster);
        output.WriteLine($"{count} sequential proposals on the leader: {clock.Elapsed.TotalMilliseconds:F0} ms, {clock.Elapsed.TotalMilliseconds / count:F2} ms each");
    }
}
