using Etcdserverpb;
using Google.Protobuf;
using Microsoft.Extensions.Logging.Abstractions;
using MiniKube.Store.Backend;
using MiniKube.Store.Consensus;
using MiniKube.Store.Internal;
using MiniKube.Store.Mvcc;
using MiniKube.Store.Server;
using MiniKube.Store.Watch;

namespace MiniKube.Store.Tests.Consensus;

/// <summary>
/// The entries of one Ready applied as one write group: one backend write for all of them, each
/// seeing the ones before it, readable and announced to watchers only once flushed.
/// </summary>
public sealed class MvccStateMachineGroupTests : IAsyncDisposable
{
    private readonly StoreServer _server;
    private readonly MvccStateMachine _machine;
    private readonly List<TimeSpan> _backendCommits = [];

    public MvccStateMachineGroupTests()
    {
        // "existing": the member bootstraps nothing, so only the test drives its state machine.
        _server = new StoreServer(new InMemoryBackend(), new StoreOptions { Name = "m", InitialAdvertisePeerUrls = [new Uri("http://m:2380")], InitialClusterState = "existing" }, new ManualTimeProvider(), NullLoggerFactory.Instance);
        _server.Mvcc.BackendCommitObserver = _backendCommits.Add;
        _machine = new MvccStateMachine(_server.Applier, _server.WatchHub);
    }

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    private static byte[] Request(InternalRequest request) => request.ToByteArray();

    private static ByteString S(string s) => ByteString.CopyFromUtf8(s);

    private static byte[] Put(string key, string value) => Request(new InternalRequest { Put = new PutRequest { Key = S(key), Value = S(value) } });

    private static byte[] CasPut(string key, long modRevision, string value) => Request(new InternalRequest
    {
        Txn = new TxnRequest
        {
            Compare = { new Compare { Key = S(key), Target = Compare.Types.CompareTarget.Mod, Result = Compare.Types.CompareResult.Equal, ModRevision = modRevision } },
            Success = { new RequestOp { RequestPut = new PutRequest { Key = S(key), Value = S(value) } } },
        },
    });

    private string? Read(string key) => _server.Applier.Range(new RangeRequest { Key = S(key) }).Kvs.SingleOrDefault()?.Value.ToStringUtf8();

    [Fact]
    public void A_readys_writes_reach_the_backend_in_one_write_each_seeing_the_ones_before_it_and_become_readable_on_flush()
    {
        var sink = new RecordingSink();
        _server.WatchHub.Register(new Watcher(1, KeyRange.From([0]), _server.Mvcc.Revision + 1, sink));
        var revision = _server.Mvcc.Revision;

        _machine.Apply(1, Put("a", "1"));
        var cas = (AppliedWrite)_machine.Apply(2, CasPut("a", revision + 1, "2"))!; // sees a's version from entry 1
        var stale = (AppliedWrite)_machine.Apply(3, CasPut("a", revision + 1, "3"))!; // a is at revision + 2 now
        _machine.Apply(4, Request(new InternalRequest { DeleteRange = new DeleteRangeRequest { Key = S("a"), PrevKv = true } }));

        Assert.True(((TxnResponse)cas.Response!).Succeeded);
        Assert.False(((TxnResponse)stale.Response!).Succeeded);
        Assert.Empty(_backendCommits);
        Assert.Equal(revision, _server.Mvcc.Revision); // nothing readable before the flush
        Assert.Empty(sink.Responses);

        _machine.FlushApplied();

        Assert.Single(_backendCommits);
        Assert.Equal(revision + 3, _server.Mvcc.Revision);
        Assert.Null(Read("a"));
        Assert.Equal(4ul, _machine.AppliedIndex);
        Assert.Equal(4, MetaKeys.ReadLong(_server.Backend, MetaKeys.AppliedIndex, 0)); // atomically with the data
        Assert.Equal(
            ["Put a=1", "Put a=2", "Delete a="],
            sink.Responses.SelectMany(r => r.Events).Select(e => $"{e.Type} {e.Kv.Key.ToStringUtf8()}={e.Kv.Value.ToStringUtf8()}"));
    }

    [Fact]
    public void A_write_that_fails_in_a_group_leaves_nothing_of_itself_and_the_others_stay()
    {
        _machine.Apply(1, Put("a", "1"));
        var failed = (AppliedWrite)_machine.Apply(2, Request(new InternalRequest
        {
            Txn = new TxnRequest
            {
                Success =
                {
                    new RequestOp { RequestPut = new PutRequest { Key = S("b"), Value = S("x") } },
                    new RequestOp { RequestPut = new PutRequest { Key = S("c"), Value = S("x"), Lease = 99 } }, // no such lease
                },
            },
        }))!;
        _machine.Apply(3, Put("d", "4"));
        _machine.FlushApplied();

        Assert.NotNull(failed.Error);
        Assert.Equal(("1", (string?)null, (string?)null, "4"), (Read("a"), Read("b"), Read("c"), Read("d")));
        Assert.Equal(3ul, _machine.AppliedIndex);
    }

    [Fact]
    public async Task A_compaction_closes_the_group_so_its_physical_part_sees_every_write_before_it()
    {
        var first = _server.Mvcc.Revision + 1;
        _machine.Apply(1, Put("a", "1"));
        _machine.Apply(2, Put("a", "2"));
        var compaction = (AppliedWrite)_machine.Apply(3, Request(new InternalRequest { Compaction = new CompactionRequest { Revision = first + 1 } }))!;
        _machine.Apply(4, Put("b", "1"));

        Assert.Equal(2, _backendCommits.Count); // the group of 1 and 2, then the compaction on its own
        Assert.Equal(first + 1, _server.Mvcc.Revision);
        await compaction.PhysicalCompaction!;
        _machine.FlushApplied();

        Assert.Equal(3, _backendCommits.Count);
        Assert.Equal("2", Read("a"));
        Assert.Throws<MvccException>(() => _server.Mvcc.Range(KeyRange.ForKey("a"u8.ToArray()), new RangeOptions(Revision: first)));
    }

    [Fact]
    public void A_transaction_reading_history_at_a_revision_is_applied_after_the_group_before_it_is_written()
    {
        var first = _server.Mvcc.Revision + 1;
        _machine.Apply(1, Put("a", "1"));
        var read = (AppliedWrite)_machine.Apply(2, Request(new InternalRequest
        {
            Txn = new TxnRequest
            {
                Success =
                {
                    new RequestOp { RequestRange = new RangeRequest { Key = S("a"), Revision = first } },
                    new RequestOp { RequestPut = new PutRequest { Key = S("b"), Value = S("2") } },
                },
            },
        }))!;
        _machine.FlushApplied();

        var kvs = ((TxnResponse)read.Response!).Responses[0].ResponseRange.Kvs;
        Assert.Equal("1", kvs.Single().Value.ToStringUtf8());
    }

    private sealed class RecordingSink : IWatchSink
    {
        private readonly List<WatchResponse> _responses = [];

        public IReadOnlyList<WatchResponse> Responses
        {
            get
            {
                lock (_responses)
                {
                    return [.. _responses];
                }
            }
        }

        public bool TrySend(WatchResponse response)
        {
            lock (_responses)
            {
                _responses.Add(response);
            }

            return true;
        }
    }
}
