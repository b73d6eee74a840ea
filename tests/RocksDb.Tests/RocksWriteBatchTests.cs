using static MiniKube.RocksDb.Tests.Bytes;

namespace MiniKube.RocksDb.Tests;

public sealed class RocksWriteBatchTests : DatabaseTest
{
    [Fact]
    public void A_batch_is_invisible_until_written_then_fully_applied_across_families()
    {
        using RocksDatabase db = Open("kv", "index");
        ColumnFamily kv = db.GetColumnFamily("kv");
        ColumnFamily index = db.GetColumnFamily("index");
        db.Put(kv, Of("old"), Of("x"));

        using var batch = new RocksWriteBatch();
        batch.Put(kv, Of("a"), Of("1"));
        batch.Put(index, Of("a-idx"), Of("a"));
        batch.Delete(kv, Of("old"));
        Assert.Equal(3, batch.Count);

        Assert.Null(db.Get(kv, Of("a")));
        Assert.Equal("x", Str(db.Get(kv, Of("old"))));

        db.Write(batch, sync: true);

        Assert.Equal("1", Str(db.Get(kv, Of("a"))));
        Assert.Equal("a", Str(db.Get(index, Of("a-idx"))));
        Assert.Null(db.Get(kv, Of("old")));
    }

    [Fact]
    public async Task Readers_see_all_of_a_batch_or_none_of_it()
    {
        using RocksDatabase db = Open("kv", "index");
        ColumnFamily kv = db.GetColumnFamily("kv");
        ColumnFamily index = db.GetColumnFamily("index");
        const int Keys = 20;
        const int Generations = 300;
        using var stop = new CancellationTokenSource();

        var writer = Task.Factory.StartNew(() =>
        {
            using var batch = new RocksWriteBatch();
            for (int generation = 1; generation <= Generations; generation++)
            {
                batch.Clear();
                for (int k = 0; k < Keys; k++)
                {
                    batch.Put(kv, Of($"key-{k:D2}"), Of(generation.ToString()));
                    batch.Put(index, Of($"idx-{k:D2}"), Of(generation.ToString()));
                }
                db.Write(batch, sync: false);
            }
            stop.Cancel();
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

        int observed = 0;
        while (!stop.IsCancellationRequested || observed == 0)
        {
            using RocksSnapshot snapshot = db.CreateSnapshot();
            var seen = new HashSet<string>();
            for (int k = 0; k < Keys; k++)
            {
                seen.Add(Str(db.Get(kv, Of($"key-{k:D2}"), snapshot)));
                seen.Add(Str(db.Get(index, Of($"idx-{k:D2}"), snapshot)));
            }
            Assert.Single(seen);
            observed++;
        }
        await writer;
        Assert.Equal(Generations.ToString(), Str(db.Get(index, Of("idx-00"))));
    }

    [Fact]
    public void Count_DataSize_and_Clear_describe_the_batch()
    {
        using RocksDatabase db = Open();
        ColumnFamily cf = db.DefaultColumnFamily;
        using var batch = new RocksWriteBatch();
        Assert.Equal(0, batch.Count);
        long emptySize = batch.DataSize;
        Assert.True(emptySize > 0, "the header (sequence number and count) is always there");

        batch.Put(cf, Of("key"), new byte[1000]);
        batch.Delete(cf, Of("other"));
        batch.DeleteRange(cf, Of("a"), Of("b"));
        Assert.Equal(3, batch.Count);
        Assert.True(batch.DataSize > emptySize + 1000);

        batch.Clear();
        Assert.Equal(0, batch.Count);
        Assert.Equal(emptySize, batch.DataSize);

        // A cleared batch writes nothing; a batch can be reused afterwards.
        db.Write(batch, sync: false);
        Assert.Null(db.Get(cf, Of("key")));
        batch.Put(cf, Of("key"), Of("v"));
        db.Write(batch, sync: false);
        Assert.Equal("v", Str(db.Get(cf, Of("key"))));
    }

    [Fact]
    public void DeleteRange_deletes_start_inclusive_end_exclusive()
    {
        using RocksDatabase db = Open("kv");
        ColumnFamily kv = db.GetColumnFamily("kv");
        foreach (string k in new[] { "a", "b", "b0", "c", "d", "e" })
            db.Put(kv, Of(k), Of(k));
        db.Put(db.DefaultColumnFamily, Of("c"), Of("other family"));
        db.Flush();

        using var batch = new RocksWriteBatch();
        batch.DeleteRange(kv, Of("b"), Of("d"));
        db.Write(batch, sync: false);

        Assert.Equal("a", Str(db.Get(kv, Of("a"))));
        Assert.Null(db.Get(kv, Of("b")));
        Assert.Null(db.Get(kv, Of("b0")));
        Assert.Null(db.Get(kv, Of("c")));
        Assert.Equal("d", Str(db.Get(kv, Of("d"))));
        Assert.Equal("e", Str(db.Get(kv, Of("e"))));
        Assert.Equal("other family", Str(db.Get(db.DefaultColumnFamily, Of("c"))));

        using RocksIterator it = db.NewIterator(kv);
        var keys = new List<string>();
        for (it.SeekToFirst(); it.Valid; it.Next())
            keys.Add(Str(it.Key()));
        Assert.Equal(["a", "d", "e"], keys);
    }

    [Fact]
    public void A_synced_batch_survives_reopen()
    {
        using (RocksDatabase db = Open("kv"))
        {
            using var batch = new RocksWriteBatch();
            for (int i = 0; i < 10; i++)
                batch.Put(db.GetColumnFamily("kv"), Of($"k{i}"), Of($"v{i}"));
            db.Write(batch, sync: true);
        }
        using RocksDatabase reopened = Open("kv");
        Assert.Equal("v9", Str(reopened.Get(reopened.GetColumnFamily("kv"), Of("k9"))));
    }
}
