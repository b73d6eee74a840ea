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
/// Reads of the published state on RocksDB: a 10,000-key prefix (what a Kubernetes list of
/// pods costs the store) and a single key, each key having a few versions as after updates.
/// </summary>
[MemoryDiagnoser]
public class RangeBenchmarks
{
    private string _directory = null!;
    private RocksDbBackend _backend = null!;
    private MvccStore _store = null!;
    private Applier _applier = null!;
    private RangeRequest _prefix = null!;
    private RangeRequest _single = null!;

    [Params(1, 3)]
    public int VersionsPerKey { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _directory = Path.Combine(Path.GetTempPath(), $"mk-bench-{Guid.NewGuid():N}");
        _backend = RocksDbBackend.Open(_directory);
        _store = new MvccStore(_backend);
        _applier = new Applier(_store, new Lessor(TimeProvider.System, 2));
        var value = ByteString.CopyFrom(new byte[512]);
        long index = 0;
        for (var v = 0; v < VersionsPerKey; v++)
        {
            for (var i = 0; i < 10_000; i++)
            {
                _applier.Apply(new InternalRequest { Put = new PutRequest { Key = ByteString.CopyFromUtf8($"/registry/pods/default/pod-{i:D5}"), Value = value } }, ++index);
            }
        }

        _backend.Sync();
        _store.Publish(_store.WriteRevision);
        _prefix = new RangeRequest { Key = ByteString.CopyFromUtf8("/registry/pods/"), RangeEnd = ByteString.CopyFromUtf8("/registry/pods0") };
        _single = new RangeRequest { Key = ByteString.CopyFromUtf8("/registry/pods/default/pod-04242") };
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _store.Dispose();
        _backend.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    [Benchmark]
    public int Prefix10k() => _applier.Range(_prefix).Kvs.Count;

    [Benchmark]
    public int SingleKey() => _applier.Range(_single).Kvs.Count;
}
