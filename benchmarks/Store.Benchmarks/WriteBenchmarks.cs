using BenchmarkDotNet.Attributes;
using Etcdserverpb;
using Google.Protobuf;
using MiniKube.Store.Backend;
using MiniKube.Store.Internal;
using MiniKube.Store.Lease;
using MiniKube.Store.Mvcc;
using MiniKube.Store.Server;

namespace MiniKube.Store.Benchmarks;

/// <summary>
/// The writer's work per request, without the fsync (which group commit shares): applying a
/// put or a Kubernetes-style CAS update (Txn: mod_revision == rv → put, else get) to RocksDB.
/// </summary>
[MemoryDiagnoser]
public class WriteBenchmarks
{
    private string _directory = null!;
    private RocksDbBackend _backend = null!;
    private MvccStore _store = null!;
    private Applier _applier = null!;
    private readonly ByteString _value = ByteString.CopyFrom(new byte[256]);
    private long _index;
    private int _key;

    [GlobalSetup]
    public void Setup()
    {
        _directory = Path.Combine(Path.GetTempPath(), $"mk-bench-{Guid.NewGuid():N}");
        _backend = RocksDbBackend.Open(_directory);
        _store = new MvccStore(_backend);
        _applier = new Applier(_store, new Lessor(TimeProvider.System, 2));
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _store.Dispose();
        _backend.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    [Benchmark]
    public long Put() =>
        _applier.Apply(new InternalRequest { Put = new PutRequest { Key = ByteString.CopyFromUtf8($"/bench/{_key++ % 100_000:D6}"), Value = _value } }, ++_index).Changes.Count;

    [Benchmark]
    public long CasUpdate()
    {
        var key = ByteString.CopyFromUtf8($"/cas/{_key++ % 1000:D4}");
        var current = _store.Range(KeyRange.ForKey(key.ToByteArray()), default).KeyValues.FirstOrDefault()?.ModRevision ?? 0;
        var txn = new TxnRequest
        {
            Compare = { new Compare { Key = key, Target = Compare.Types.CompareTarget.Mod, Result = Compare.Types.CompareResult.Equal, ModRevision = current } },
            Success = { new RequestOp { RequestPut = new PutRequest { Key = key, Value = _value } } },
            Failure = { new RequestOp { RequestRange = new RangeRequest { Key = key } } },
        };
        var applied = _applier.Apply(new InternalRequest { Txn = txn }, ++_index);
        _store.Publish(_store.WriteRevision);
        return applied.Changes.Count;
    }
}
