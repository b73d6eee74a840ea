using Etcdserverpb;
using Google.Protobuf;
using Microsoft.Extensions.Logging.Abstractions;
using MiniKube.Store.Backend;
using MiniKube.Store.Consensus;
using MiniKube.Store.Internal;
using MiniKube.Store.Server;

namespace MiniKube.Store.Tests.Consensus;

/// <summary>
/// Three stores replicated through their Raft hosts on an in-memory network: the MVCC state
/// machine end to end. Each store runs its own host (StoreServer owns it); the test hands it the
/// network as its transport.
/// </summary>
public sealed class MvccStateMachineTests : IAsyncDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);
    private readonly InMemoryRaftNetwork _network = new();
    private readonly List<(RaftHost Host, StoreServer Server)> _members = [];

    public MvccStateMachineTests()
    {
        var time = new ManualTimeProvider();
        string[] names = ["n1", "n2", "n3"];
        var cluster = string.Join(",", names.Select((n, i) => $"{n}=http://127.0.0.1:{2380 + i}"));
        for (var i = 0; i < names.Length; i++)
        {
            var options = new StoreOptions { Name = names[i], InitialCluster = cluster, InitialAdvertisePeerUrls = [new Uri($"http://127.0.0.1:{2380 + i}")] };
            var id = options.ResolvedInitialCluster[i].Id;
            var server = new StoreServer(new InMemoryBackend(), options, time, NullLoggerFactory.Instance, _network.TransportFor(id));
            _network.Register(server.Raft);
            _members.Add((server.Raft, server));
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var (_, server) in _members)
        {
            await server.DisposeAsync();
        }
    }

    private static byte[] Put(string key, string value) =>
        new InternalRequest { Put = new PutRequest { Key = ByteString.CopyFromUtf8(key), Value = ByteString.CopyFromUtf8(value) } }.ToByteArray();

    [Fact]
    public async Task Writes_proposed_on_any_member_give_every_store_the_same_keys_revisions_and_hash()
    {
        _members[0].Host.Campaign();
        foreach (var (host, _) in _members)
        {
            Assert.Equal(_members[0].Host.Id, await host.WaitForLeaderAsync().WaitAsync(Wait));
        }

        var revisions = new List<long>();
        for (var i = 0; i < 9; i++)
        {
            var applied = (AppliedWrite)(await _members[i % 3].Host.ProposeAsync(Put($"k{i % 4}", $"v{i}")))!;
            Assert.Null(applied.Error);
            revisions.Add(((PutResponse)applied.Response!).Header.Revision);
        }

        Assert.Equal(Enumerable.Range(2, 9).Select(r => (long)r), revisions);
        var last = _members.Max(m => m.Host.AppliedIndex);
        foreach (var (host, _) in _members)
        {
            await host.WaitAppliedAsync(last).WaitAsync(Wait);
        }

        var hashes = _members.Select(m => m.Server.Mvcc.HashKV(0)).ToList();
        Assert.All(hashes, h => Assert.Equal(hashes[0], h));
        Assert.Equal(10, hashes[0].Revision);
        foreach (var (_, server) in _members)
        {
            var got = server.Applier.Range(new RangeRequest { Key = ByteString.CopyFromUtf8("k0") });
            Assert.Equal("v8", got.Kvs.Single().Value.ToStringUtf8());
            Assert.Equal(last, (ulong)server.Mvcc.AppliedIndex);
        }
    }
}
