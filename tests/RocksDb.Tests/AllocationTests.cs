using static MiniKube.RocksDb.Tests.Bytes;

namespace MiniKube.RocksDb.Tests;

/// <summary>
/// The hot paths pin spans and reuse cached options, so they allocate nothing managed beyond what they
/// return. Budgets are per thousand calls and leave room only for runtime noise, not a per-call allocation.
/// </summary>
public sealed class AllocationTests : DatabaseTest
{
    private const int Calls = 1000;
    private const long NoiseBytes = 512;

    [Fact]
    public void Put_Delete_Write_and_iterator_moves_do_not_allocate()
    {
        using RocksDatabase db = Open("kv");
        ColumnFamily kv = db.GetColumnFamily("kv");
        byte[][] keys = [.. Enumerable.Range(0, Calls).Select(i => Of($"key-{i:D4}"))];
        byte[] value = new byte[64];
        using var batch = new RocksWriteBatch();

        void Writes()
        {
            foreach (byte[] key in keys)
                db.Put(kv, key, value);
            foreach (byte[] key in keys)
                db.Delete(kv, key);
            foreach (byte[] key in keys)
            {
                batch.Clear();
                batch.Put(kv, key, value);
                db.Write(batch, sync: false);
            }
        }

        void Scan(RocksIterator it)
        {
            int total = 0;
            for (it.SeekToFirst(); it.Valid; it.Next())
                total += it.Key().Length + it.Value().Length;
            for (it.SeekToLast(); it.Valid; it.Prev())
                total += it.Key().Length;
            it.Seek(keys[10]);
            it.SeekForPrev(keys[20]);
            Assert.True(total > 0);
        }

        Writes();
        using RocksIterator it = db.NewIterator(kv);
        Scan(it);

        Assert.InRange(AllocatedBy(Writes), 0, NoiseBytes);
        Assert.InRange(AllocatedBy(() => Scan(it)), 0, NoiseBytes);
    }

    [Fact]
    public void Get_allocates_only_the_returned_value()
    {
        using RocksDatabase db = Open();
        ColumnFamily cf = db.DefaultColumnFamily;
        byte[] key = Of("key");
        byte[] absent = Of("absent");
        db.Put(cf, key, new byte[100]);
        using RocksSnapshot snapshot = db.CreateSnapshot();

        void Gets()
        {
            for (int i = 0; i < Calls; i++)
            {
                Assert.NotNull(db.Get(cf, key));
                Assert.NotNull(db.Get(cf, key, snapshot));
                Assert.Null(db.Get(cf, absent));
            }
        }

        Gets();
        long perValue = AllocatedBy(() => db.Get(cf, key));
        Assert.InRange(AllocatedBy(Gets), 0, (2 * Calls * perValue) + NoiseBytes);
    }

    private static long AllocatedBy(Action action)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        action();
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }
}
