using System.Collections.Concurrent;
using Etcdserverpb;
using MiniKube.Store.Consensus;
using MiniKube.Store.Mvcc;
using MiniKube.Store.Watch;
using Xunit.Abstractions;

namespace MiniKube.Store.Tests.Consensus.Transport;

/// <summary>A member that fell behind the leader's compacted log catches up from the leader's database, sent over HTTP/2.</summary>
public sealed class SnapshotTransferTests(ITestOutputHelper output)
{
    private static RaftHostOptions SmallSnapshots => LoopbackCluster.DefaultOptions with { SnapshotCount = 20, SnapshotCatchUpEntries = 5 };

    private static List<string> AllKeys(LoopbackCluster.Member member) =>
        [.. member.Store!.Mvcc.Range(KeyRange.From([0]), new RangeOptions()).KeyValues.Select(kv => $"{kv.Key.ToStringUtf8()}={kv.Value.ToStringUtf8()}@{kv.ModRevision}")];

    [Fact]
    public async Task A_member_restarted_behind_the_compacted_log_restores_the_leaders_snapshot_and_converges()
    {
        await using var cluster = await LoopbackCluster.StartAsync(3, output, SmallSnapshots);
        var leader = await cluster.ElectAsync(cluster[1]);
        var behind = cluster.Members.First(m => m != leader);
        await LoopbackCluster.ProposeAsync(leader, PeerTransportTests.Put("before", "stop"));
        await PeerTransportTests.WaitConvergedAsync(cluster);
        var stoppedAt = behind.Host!.AppliedIndex;
        await behind.StopAsync();

        for (var i = 0; i < 200; i++)
        {
            await LoopbackCluster.ProposeAsync(leader, PeerTransportTests.Put($"k{i % 37}", $"v{i}"));
        }

        await PeerTransportTests.WaitConvergedAsync(cluster);
        // Read off the loop thread, but the log is idle once every member has applied everything.
        var firstIndex = leader.Log!.FirstIndex();
        Assert.True(firstIndex > stoppedAt + 1, $"the leader's log starts at {firstIndex}, the stopped member applied {stoppedAt}");

        await behind.StartAsync();
        var sink = new RecordingSink();
        // Opened before the snapshot arrives: it must survive the store being replaced under it.
        var watchFrom = behind.Store!.Mvcc.Revision + 1;
        behind.Store.WatchHub.Register(new Watcher(1, KeyRange.From("later"u8.ToArray()), watchFrom, sink));

        await LoopbackCluster.EventuallyAsync(() => behind.Host!.AppliedIndex >= leader.Host!.AppliedIndex, "the restarted member catches up");
        // The leader counts a snapshot once the member has answered its POST, which may be after the member applied it.
        await LoopbackCluster.EventuallyAsync(() => leader.Transport!.SnapshotsSent >= 1, "the leader sent a snapshot");
        Assert.NotEmpty(Directory.EnumerateFiles(behind.Snapshots.Path, "*.snap.db"));

        for (var i = 0; i < 5; i++)
        {
            await LoopbackCluster.ProposeAsync(leader, PeerTransportTests.Put($"later{i}", $"w{i}"));
        }

        await PeerTransportTests.WaitConvergedAsync(cluster);
        PeerTransportTests.AssertSameHash(cluster);
        var keys = AllKeys(leader);
        Assert.All(cluster.Members, m => Assert.Equal(keys, AllKeys(m)));
        Assert.Equal(leader.Store!.Mvcc.Revision, behind.Store!.Mvcc.Revision);

        var events = await sink.WaitForAsync(5);
        Assert.Equal(Enumerable.Range(0, 5).Select(i => $"later{i}"), events.Select(e => e.Kv.Key.ToStringUtf8()));
    }

    [Fact]
    public async Task A_snapshot_of_several_MiB_reaches_a_member_whose_first_peer_url_is_unreachable()
    {
        await using var cluster = await LoopbackCluster.StartAsync(3, output, SmallSnapshots);
        var leader = await cluster.ElectAsync(cluster[1]);
        var behind = cluster.Members.First(m => m != leader);
        await behind.StopAsync();

        // The leader knows the member by two URLs, the first of which nobody listens on: the
        // snapshot must go to the second, as the stream does.
        leader.Transport!.AddPeer(behind.Id, [UnusedUrl(), behind.Url]);
        var value = new string('v', 64 * 1024);
        for (var i = 0; i < 64; i++)
        {
            await LoopbackCluster.ProposeAsync(leader, PeerTransportTests.Put($"big{i:D2}", value + i));
        }

        await PeerTransportTests.WaitConvergedAsync(cluster);
        await behind.StartAsync();
        await LoopbackCluster.EventuallyAsync(() => behind.Host!.AppliedIndex >= leader.Host!.AppliedIndex, "the restarted member catches up");
        await LoopbackCluster.EventuallyAsync(() => leader.Transport.SnapshotsSent >= 1, "the leader sent a snapshot");
        var received = Assert.Single(Directory.EnumerateFiles(behind.Snapshots.Path, "*.snap.db"));
        Assert.True(new FileInfo(received).Length > 4 * 1024 * 1024, $"the snapshot has {new FileInfo(received).Length} bytes");

        await LoopbackCluster.ProposeAsync(leader, PeerTransportTests.Put("after", "snapshot"));
        await PeerTransportTests.WaitConvergedAsync(cluster);
        PeerTransportTests.AssertSameHash(cluster);
        Assert.Equal(AllKeys(leader), AllKeys(behind));
    }

    /// <summary>A loopback URL whose port was free a moment ago: connections to it are refused.</summary>
    private static Uri UnusedUrl()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return new Uri($"http://127.0.0.1:{port}");
    }

    /// <summary>Records what a watch stream would send.</summary>
    private sealed class RecordingSink : IWatchSink
    {
        private readonly ConcurrentQueue<WatchResponse> _responses = new();

        public bool TrySend(WatchResponse response)
        {
            _responses.Enqueue(response);
            return true;
        }

        public async Task<List<Mvccpb.Event>> WaitForAsync(int count)
        {
            await LoopbackCluster.EventuallyAsync(() => _responses.Sum(r => r.Events.Count) >= count, $"{count} watch events");
            return [.. _responses.SelectMany(r => r.Events)];
        }
    }
}
