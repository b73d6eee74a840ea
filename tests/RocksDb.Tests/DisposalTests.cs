using static MiniKube.RocksDb.Tests.Bytes;

namespace MiniKube.RocksDb.Tests;

public sealed class DisposalTests : DatabaseTest
{
    [Fact]
    public void A_disposed_database_throws_ObjectDisposedException_everywhere()
    {
        RocksDatabase db = Open("kv");
        ColumnFamily kv = db.GetColumnFamily("kv");
        using var batch = new RocksWriteBatch();
        db.Dispose();
        db.Dispose();

        Assert.Throws<ObjectDisposedException>(() => db.Get(kv, Of("k")));
        Assert.Throws<ObjectDisposedException>(() => db.KeyMayExist(kv, Of("k")));
        Assert.Throws<ObjectDisposedException>(() => db.Put(kv, Of("k"), Of("v")));
        Assert.Throws<ObjectDisposedException>(() => db.Delete(kv, Of("k")));
        Assert.Throws<ObjectDisposedException>(() => db.Write(batch, sync: false));
        Assert.Throws<ObjectDisposedException>(() => db.FlushWal(sync: true));
        Assert.Throws<ObjectDisposedException>(db.Flush);
        Assert.Throws<ObjectDisposedException>(() => db.NewIterator(kv));
        Assert.Throws<ObjectDisposedException>(db.CreateSnapshot);
        Assert.Throws<ObjectDisposedException>(() => db.CreateCheckpoint(Temp.Sub("checkpoint")));
        Assert.Throws<ObjectDisposedException>(() => db.GetProperty("rocksdb.stats"));
        Assert.Throws<ObjectDisposedException>(() => db.GetLongProperty("rocksdb.estimate-num-keys", kv));
        Assert.Throws<ObjectDisposedException>(() => db.CompactRange(kv));
        Assert.Throws<ObjectDisposedException>(() => db.GetColumnFamily("kv"));
        Assert.Throws<ObjectDisposedException>(() => db.ColumnFamilies);
        Assert.Throws<ObjectDisposedException>(() => db.DefaultColumnFamily);
        Assert.Equal(Path.GetFullPath(DbPath), db.Path);

        // The column family handle went with the database, so a batch cannot record it either.
        Assert.Throws<ObjectDisposedException>(() => batch.Put(kv, Of("k"), Of("v")));
    }

    [Fact]
    public void Disposing_the_database_closes_open_iterators_and_snapshots_and_releases_the_lock()
    {
        RocksDatabase db = Open("kv");
        ColumnFamily kv = db.GetColumnFamily("kv");
        db.Put(kv, Of("k"), Of("v"));
        RocksSnapshot snapshot = db.CreateSnapshot();
        RocksIterator it = db.NewIterator(kv, Of("a"), Of("z"), snapshot);
        it.SeekToFirst();
        Assert.True(it.Valid);

        db.Dispose();

        Assert.Throws<ObjectDisposedException>(() => it.Valid);
        Assert.Throws<ObjectDisposedException>(it.SeekToFirst);
        Assert.Throws<ObjectDisposedException>(() => it.Key().Length);
        Assert.Throws<ObjectDisposedException>(it.ThrowIfError);
        it.Dispose();
        snapshot.Dispose();

        // Nothing left open keeps RocksDB's LOCK: the same path opens again in this process.
        using RocksDatabase reopened = Open("kv");
        Assert.Equal("v", Str(reopened.Get(reopened.GetColumnFamily("kv"), Of("k"))));
    }

    [Fact]
    public void A_disposed_iterator_throws_ObjectDisposedException()
    {
        using RocksDatabase db = Open();
        db.Put(db.DefaultColumnFamily, Of("k"), Of("v"));
        RocksIterator it = db.NewIterator(db.DefaultColumnFamily);
        it.SeekToFirst();
        it.Dispose();
        it.Dispose();

        Assert.Throws<ObjectDisposedException>(() => it.Valid);
        Assert.Throws<ObjectDisposedException>(it.SeekToFirst);
        Assert.Throws<ObjectDisposedException>(it.SeekToLast);
        Assert.Throws<ObjectDisposedException>(() => it.Seek(Of("k")));
        Assert.Throws<ObjectDisposedException>(() => it.SeekForPrev(Of("k")));
        Assert.Throws<ObjectDisposedException>(it.Next);
        Assert.Throws<ObjectDisposedException>(it.Prev);
        Assert.Throws<ObjectDisposedException>(() => it.Key().Length);
        Assert.Throws<ObjectDisposedException>(() => it.Value().Length);
        Assert.Throws<ObjectDisposedException>(it.KeyArray);
        Assert.Throws<ObjectDisposedException>(it.ValueArray);
        Assert.Throws<ObjectDisposedException>(it.ThrowIfError);
    }

    [Fact]
    public void A_disposed_batch_throws_ObjectDisposedException()
    {
        using RocksDatabase db = Open();
        ColumnFamily cf = db.DefaultColumnFamily;
        var batch = new RocksWriteBatch();
        batch.Put(cf, Of("k"), Of("v"));
        batch.Dispose();
        batch.Dispose();

        Assert.Throws<ObjectDisposedException>(() => batch.Put(cf, Of("k"), Of("v")));
        Assert.Throws<ObjectDisposedException>(() => batch.Delete(cf, Of("k")));
        Assert.Throws<ObjectDisposedException>(() => batch.DeleteRange(cf, Of("a"), Of("b")));
        Assert.Throws<ObjectDisposedException>(batch.Clear);
        Assert.Throws<ObjectDisposedException>(() => batch.Count);
        Assert.Throws<ObjectDisposedException>(() => batch.DataSize);
        Assert.Throws<ObjectDisposedException>(() => db.Write(batch, sync: false));
        Assert.Null(db.Get(cf, Of("k")));
    }

    [Fact]
    public void Undisposed_iterators_and_snapshots_are_cleaned_up_by_the_finalizer()
    {
        using RocksDatabase db = Open();
        db.Put(db.DefaultColumnFamily, Of("k"), Of("v"));
        LeakIteratorsAndSnapshots(db, 100);

        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();

        // Every snapshot was released against the still open database, or this count would be 100.
        Assert.Equal(0, db.GetLongProperty("rocksdb.num-snapshots"));
        Assert.Equal("v", Str(db.Get(db.DefaultColumnFamily, Of("k"))));
    }

    // Separate and not inlined, so that no reference to the leaked objects survives on the test's stack.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static void LeakIteratorsAndSnapshots(RocksDatabase db, int count)
    {
        // Held until counted: a collection during the loop would otherwise finalize some already.
        var leaked = new List<object>();
        for (int i = 0; i < count; i++)
        {
            RocksSnapshot snapshot = db.CreateSnapshot();
            RocksIterator it = db.NewIterator(db.DefaultColumnFamily, Of("a"), Of("z"), snapshot);
            it.SeekToFirst();
            leaked.Add(snapshot);
            leaked.Add(it);
        }
        Assert.Equal(count, db.GetLongProperty("rocksdb.num-snapshots"));
        GC.KeepAlive(leaked);
    }
}
