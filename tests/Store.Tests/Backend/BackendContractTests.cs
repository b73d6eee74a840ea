using System.Text;
using MiniKube.Store.Backend;

namespace MiniKube.Store.Tests.Backend;

/// <summary>The backend seam's contract: every implementation runs these same tests.</summary>
public abstract class BackendContractTests : IDisposable
{
    protected abstract IBackend Backend { get; }

    public abstract void Dispose();

    private static byte[] B(string s) => Encoding.UTF8.GetBytes(s);

    private void Put(BackendTable table, string key, string value)
    {
        using var batch = Backend.CreateBatch();
        batch.Put(table, B(key), B(value));
        Backend.Write(batch);
    }

    private static List<string> Keys(IBackendIterator it)
    {
        var keys = new List<string>();
        for (it.SeekToFirst(); it.Valid; it.Next())
        {
            keys.Add(Encoding.UTF8.GetString(it.Key));
        }

        return keys;
    }

    [Fact]
    public void Get_returns_what_was_written_per_table()
    {
        Put(BackendTable.Keys, "a", "1");
        Put(BackendTable.Meta, "a", "2");
        Assert.Equal("1", Encoding.UTF8.GetString(Backend.Get(BackendTable.Keys, B("a"))!));
        Assert.Equal("2", Encoding.UTF8.GetString(Backend.Get(BackendTable.Meta, B("a"))!));
        Assert.Null(Backend.Get(BackendTable.History, B("a")));
    }

    [Fact]
    public void A_batch_applies_all_its_operations_in_order()
    {
        Put(BackendTable.Keys, "gone", "x");
        using var batch = Backend.CreateBatch();
        batch.Put(BackendTable.Keys, B("k"), B("first"));
        batch.Put(BackendTable.Keys, B("k"), B("second"));
        batch.Delete(BackendTable.Keys, B("gone"));
        Assert.Equal(3, batch.Count);
        Backend.Write(batch);
        Assert.Equal("second", Encoding.UTF8.GetString(Backend.Get(BackendTable.Keys, B("k"))!));
        Assert.Null(Backend.Get(BackendTable.Keys, B("gone")));
    }

    [Fact]
    public void A_rollback_drops_what_was_added_since_the_latest_save_point_and_a_pop_keeps_it()
    {
        using var batch = Backend.CreateBatch();
        batch.Put(BackendTable.Keys, B("kept"), B("1"));
        batch.SetSavePoint();
        batch.Put(BackendTable.Keys, B("committed"), B("2"));
        batch.PopSavePoint();
        batch.SetSavePoint();
        batch.Put(BackendTable.Keys, B("failed"), B("3"));
        batch.Delete(BackendTable.Keys, B("kept"));
        batch.RollbackToSavePoint();
        Assert.Equal(2, batch.Count);
        Backend.Write(batch);

        Assert.Equal("1", Encoding.UTF8.GetString(Backend.Get(BackendTable.Keys, B("kept"))!));
        Assert.Equal("2", Encoding.UTF8.GetString(Backend.Get(BackendTable.Keys, B("committed"))!));
        Assert.Null(Backend.Get(BackendTable.Keys, B("failed")));
    }

    [Fact]
    public void Iterators_respect_bounds_and_order_bytes_unsigned()
    {
        foreach (var k in new[] { "a", "b", "ba", "c", "d" })
        {
            Put(BackendTable.Keys, k, k);
        }

        using var batch = Backend.CreateBatch();
        batch.Put(BackendTable.Keys, [0xFF], [1]);
        batch.Put(BackendTable.Keys, [0x00], [1]);
        Backend.Write(batch);

        using (var all = Backend.Iterate(BackendTable.Keys))
        {
            var keys = new List<byte[]>();
            for (all.SeekToFirst(); all.Valid; all.Next())
            {
                keys.Add(all.Key.ToArray());
            }

            Assert.Equal(new byte[] { 0x00 }, keys[0]);
            Assert.Equal(new byte[] { 0xFF }, keys[^1]);
        }

        using var bounded = Backend.Iterate(BackendTable.Keys, B("b"), B("d"));
        Assert.Equal(["b", "ba", "c"], Keys(bounded));
        bounded.Seek(B("bb"));
        Assert.Equal("c", Encoding.UTF8.GetString(bounded.Key));
        bounded.Seek(B("a")); // below the lower bound: clamps to it
        Assert.Equal("b", Encoding.UTF8.GetString(bounded.Key));
    }

    [Fact]
    public void DeleteRange_removes_the_half_open_interval()
    {
        foreach (var k in new[] { "a", "b", "c", "d" })
        {
            Put(BackendTable.History, k, k);
        }

        using var batch = Backend.CreateBatch();
        batch.DeleteRange(BackendTable.History, B("b"), B("d"));
        Backend.Write(batch);
        using var it = Backend.Iterate(BackendTable.History);
        Assert.Equal(["a", "d"], Keys(it));
    }

    [Fact]
    public void An_iterator_and_a_view_see_the_state_when_they_were_opened()
    {
        Put(BackendTable.Keys, "a", "old");
        using var view = Backend.OpenView();
        using var it = Backend.Iterate(BackendTable.Keys);
        Put(BackendTable.Keys, "a", "new");
        Put(BackendTable.Keys, "b", "new");

        Assert.Equal("old", Encoding.UTF8.GetString(view.Get(BackendTable.Keys, B("a"))!));
        Assert.Null(view.Get(BackendTable.Keys, B("b")));
        using (var viewIterator = view.Iterate(BackendTable.Keys))
        {
            Assert.Equal(["a"], Keys(viewIterator));
        }

        Assert.Equal(["a"], Keys(it));
        Assert.Equal("new", Encoding.UTF8.GetString(Backend.Get(BackendTable.Keys, B("a"))!));
    }

    [Fact]
    public async Task Concurrent_writers_and_readers_never_see_a_partial_batch()
    {
        const int writes = 300;
        var writer = Task.Run(() =>
        {
            for (var i = 0; i < writes; i++)
            {
                using var batch = Backend.CreateBatch();
                batch.Put(BackendTable.Keys, B("x"), B(i.ToString("D5")));
                batch.Put(BackendTable.Keys, B("y"), B(i.ToString("D5")));
                Backend.Write(batch);
            }
        });
        while (!writer.IsCompleted)
        {
            using var view = Backend.OpenView();
            var x = view.Get(BackendTable.Keys, B("x"));
            var y = view.Get(BackendTable.Keys, B("y"));
            Assert.Equal(x is null ? null : Encoding.UTF8.GetString(x), y is null ? null : Encoding.UTF8.GetString(y));
        }

        await writer;
        Backend.Sync();
    }
}

public sealed class InMemoryBackendContractTests : BackendContractTests
{
    private readonly InMemoryBackend _backend = new();

    protected override IBackend Backend => _backend;

    public override void Dispose() => _backend.Dispose();

    [Fact]
    public void Only_synced_writes_survive_a_crash()
    {
        using (var batch = _backend.CreateBatch())
        {
            batch.Put(BackendTable.Keys, [1], [1]);
            _backend.Write(batch);
        }

        _backend.Sync();
        using (var batch = _backend.CreateBatch())
        {
            batch.Put(BackendTable.Keys, [2], [2]);
            _backend.Write(batch);
        }

        using var recovered = _backend.CrashAndRecover();
        Assert.NotNull(recovered.Get(BackendTable.Keys, [1]));
        Assert.Null(recovered.Get(BackendTable.Keys, [2]));
    }
}

public sealed class RocksDbBackendContractTests : BackendContractTests
{
    private readonly TempDirectory _directory = new();
    private readonly RocksDbBackend _backend;

    public RocksDbBackendContractTests() => _backend = RocksDbBackend.Open(_directory.Path);

    protected override IBackend Backend => _backend;

    public override void Dispose()
    {
        _backend.Dispose();
        _directory.Dispose();
    }

    [Fact]
    public void Synced_writes_survive_reopening_and_a_checkpoint_opens_as_a_backend()
    {
        using (var batch = _backend.CreateBatch())
        {
            batch.Put(BackendTable.Meta, "k"u8, "v"u8);
            _backend.Write(batch);
        }

        _backend.Sync();
        var checkpoint = Path.Combine(_directory.Path, "..", Guid.NewGuid().ToString("N"));
        _backend.Checkpoint(checkpoint);
        try
        {
            using var copy = RocksDbBackend.Open(checkpoint);
            Assert.Equal("v"u8.ToArray(), copy.Get(BackendTable.Meta, "k"u8));
        }
        finally
        {
            Directory.Delete(checkpoint, recursive: true);
        }

        Assert.True(_backend.SizeBytes > 0);
    }
}
