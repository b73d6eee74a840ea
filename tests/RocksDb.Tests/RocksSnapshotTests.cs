using static MiniKube.RocksDb.Tests.Bytes;

namespace MiniKube.RocksDb.Tests;

public sealed class RocksSnapshotTests : DatabaseTest
{
    [Fact]
    public void Reads_through_a_snapshot_do_not_see_later_writes()
    {
        using RocksDatabase db = Open("kv");
        ColumnFamily kv = db.GetColumnFamily("kv");
        db.Put(kv, Of("a"), Of("1"));
        db.Put(kv, Of("b"), Of("1"));

        using RocksSnapshot snapshot = db.CreateSnapshot();
        db.Put(kv, Of("a"), Of("2"));
        db.Delete(kv, Of("b"));
        db.Put(kv, Of("c"), Of("2"));
        // The snapshot must hold across a flush and compaction, which would otherwise drop the old versions.
        db.Flush();
        db.CompactRange(kv);

        Assert.Equal("1", Str(db.Get(kv, Of("a"), snapshot)));
        Assert.Equal("1", Str(db.Get(kv, Of("b"), snapshot)));
        Assert.Null(db.Get(kv, Of("c"), snapshot));
        Assert.True(db.KeyMayExist(kv, Of("b"), snapshot));

        Assert.Equal("2", Str(db.Get(kv, Of("a"))));
        Assert.Null(db.Get(kv, Of("b")));

        using RocksIterator it = db.NewIterator(kv, snapshot: snapshot);
        var entries = new List<string>();
        for (it.SeekToFirst(); it.Valid; it.Next())
            entries.Add($"{Str(it.Key())}={Str(it.Value())}");
        Assert.Equal(["a=1", "b=1"], entries);

        using RocksIterator latest = db.NewIterator(kv);
        entries.Clear();
        for (latest.SeekToFirst(); latest.Valid; latest.Next())
            entries.Add($"{Str(latest.Key())}={Str(latest.Value())}");
        Assert.Equal(["a=2", "c=2"], entries);
    }

    [Fact]
    public void A_bounded_iterator_over_a_snapshot_combines_both()
    {
        using RocksDatabase db = Open();
        ColumnFamily cf = db.DefaultColumnFamily;
        foreach (string k in new[] { "a", "b", "c", "d" })
            db.Put(cf, Of(k), Of("old"));
        using RocksSnapshot snapshot = db.CreateSnapshot();
        foreach (string k in new[] { "a", "b", "c", "d", "bb" })
            db.Put(cf, Of(k), Of("new"));

        using RocksIterator it = db.NewIterator(cf, Of("b"), Of("d"), snapshot);
        var entries = new List<string>();
        for (it.SeekToLast(); it.Valid; it.Prev())
            entries.Add($"{Str(it.Key())}={Str(it.Value())}");
        Assert.Equal(["c=old", "b=old"], entries);
    }

    [Fact]
    public void An_iterator_keeps_reading_after_its_snapshot_is_disposed()
    {
        using RocksDatabase db = Open();
        ColumnFamily cf = db.DefaultColumnFamily;
        db.Put(cf, Of("a"), Of("old"));
        RocksSnapshot snapshot = db.CreateSnapshot();
        using RocksIterator it = db.NewIterator(cf, snapshot: snapshot);
        db.Put(cf, Of("a"), Of("new"));

        snapshot.Dispose();
        Assert.Throws<ObjectDisposedException>(() => db.Get(cf, Of("a"), snapshot));
        Assert.Throws<ObjectDisposedException>(() => db.NewIterator(cf, snapshot: snapshot));

        it.SeekToFirst();
        Assert.Equal("old", Str(it.Value()));
    }

    [Fact]
    public void One_snapshot_serves_concurrent_readers()
    {
        using RocksDatabase db = Open();
        ColumnFamily cf = db.DefaultColumnFamily;
        for (int i = 0; i < 100; i++)
            db.Put(cf, Of($"k{i}"), Of("before"));
        using RocksSnapshot snapshot = db.CreateSnapshot();
        for (int i = 0; i < 100; i++)
            db.Put(cf, Of($"k{i}"), Of("after"));

        Parallel.For(0, 8, _ =>
        {
            for (int i = 0; i < 100; i++)
                Assert.Equal("before", Str(db.Get(cf, Of($"k{i}"), snapshot)));
        });
    }
}
