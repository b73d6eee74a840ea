using Etcdserverpb;
using Google.Protobuf;
using Microsoft.Extensions.Logging.Abstractions;
using MiniKube.Raft.Pb;
using MiniKube.Store.Backend;
using MiniKube.Store.Consensus;
using MiniKube.Store.Internal;
using MiniKube.Store.Server;

namespace MiniKube.Store.Tests.Consensus;

/// <summary>Three stores replicated through Raft hosts on an in-memory network: the MVCC state machine end to end.</summary>
public sealed class MvccStateMachineTests : IAsyncDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);
    private readonly InMemoryRaftNetwork _network = new();
    private readonly List<(RaftHost Host, StoreServer Server)> _members = [];

    public MvccStateMachineTests()
    {
        var time = new ManualTimeProvider();
        ulong[] voters = [1, 2, 3];
        foreach (var id in voters)
        {
            var backend = new InMemoryBackend();
            var server = new StoreServer(backend, new StoreOptions(), time, NullLoggerFactory.Instance);
            var host = new RaftHost(
                id,
                RaftLogStorage.Open(backend, new ConfState { Voters = { voters } }),
                new MvccStateMachine(server.Applier, server.WatchHub),
                _network.TransportFor(id),
                new RaftHostOptions { TimeProvider = time });
            _network.Register(host);
            _members.Add((host, server));
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var (host, server) in _members)
        {
            host.Dispose();
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
            Assert.Equal(1ul, await host.WaitForLeaderAsync().WaitAsync(Wait));
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
