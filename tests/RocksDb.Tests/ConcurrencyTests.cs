using static MiniKube.RocksDb.Tests.Bytes;

namespace MiniKube.RocksDb.Tests;

public sealed class ConcurrencyTests : DatabaseTest
{
    [Fact]
    public void Many_threads_put_and_get_concurrently()
    {
        using RocksDatabase db = Open("a", "b");
        ColumnFamily[] families = [db.GetColumnFamily("a"), db.GetColumnFamily("b")];
        const int Threads = 8;
        const int PerThread = 2000;

        Parallel.For(0, Threads, new ParallelOptions { MaxDegreeOfParallelism = Threads }, t =>
        {
            ColumnFamily cf = families[t % 2];
            for (int i = 0; i < PerThread; i++)
            {
                byte[] key = Of($"t{t:D2}-{i:D5}");
                db.Put(cf, key, Of($"{t}:{i}"), sync: i % 500 == 0);
                Assert.Equal($"{t}:{i}", Str(db.Get(cf, key)));
                // Read another thread's keys too: present or not yet written, never torn.
                byte[]? other = db.Get(families[(t + 1) % 2], Of($"t{(t + 1) % Threads:D2}-{i:D5}"));
                Assert.True(other is null || Str(other) == $"{(t + 1) % Threads}:{i}");
            }
        });

        for (int t = 0; t < Threads; t++)
        {
            ColumnFamily cf = families[t % 2];
            for (int i = 0; i < PerThread; i += 97)
                Assert.Equal($"{t}:{i}", Str(db.Get(cf, Of($"t{t:D2}-{i:D5}"))));
        }
        Assert.Equal(Threads / 2 * PerThread, db.GetLongProperty("rocksdb.estimate-num-keys", families[0]));
    }

    [Fact]
    public async Task Disposing_while_other_threads_read_and_write_fails_them_cleanly()
    {
        RocksDatabase db = Open("kv");
        ColumnFamily kv = db.GetColumnFamily("kv");
        for (int i = 0; i < 100; i++)
            db.Put(kv, Of($"k{i}"), new byte[1000]);
        db.Flush();

        using var started = new CountdownEvent(4);
        // Dedicated threads: four busy loops would otherwise wait for the thread pool to grow.
        var workers = Enumerable.Range(0, 4).Select(t => Task.Factory.StartNew(() =>
        {
            started.Signal();
            int operations = 0;
            try
            {
                while (true)
                {
                    switch (t)
                    {
                        case 0:
                            db.Get(kv, Of($"k{operations % 100}"));
                            break;
                        case 1:
                            db.Put(kv, Of($"w{operations}"), Of("v"));
                            break;
                        case 2:
                            using (RocksIterator it = db.NewIterator(kv))
                            {
                                for (it.SeekToFirst(); it.Valid; it.Next())
                                    _ = it.Value().Length;
                            }
                            break;
                        default:
                            using (RocksSnapshot snapshot = db.CreateSnapshot())
                                db.Get(kv, Of("k1"), snapshot);
                            break;
                    }
                    operations++;
                }
            }
            catch (ObjectDisposedException)
            {
                return operations;
            }
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default)).ToArray();

        started.Wait();
        await Task.Delay(50);
        db.Dispose();

        // Each worker ends with ObjectDisposedException (any other exception fails the await), not a crash.
        int[] operations = await Task.WhenAll(workers);
        Assert.True(operations.Sum() > 0);
        using RocksDatabase reopened = Open("kv");
        Assert.NotNull(reopened.Get(reopened.GetColumnFamily("kv"), Of("k1")));
    }
}
