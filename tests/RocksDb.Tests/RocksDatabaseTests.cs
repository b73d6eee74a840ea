using static MiniKube.RocksDb.Tests.Bytes;

namespace MiniKube.RocksDb.Tests;

public sealed class RocksDatabaseTests : DatabaseTest
{
    [Fact]
    public void Open_creates_families_and_reopen_keeps_data()
    {
        using (RocksDatabase db = Open("kv", "meta"))
        {
            Assert.Equal(Path.GetFullPath(DbPath), db.Path);
            Assert.Equal(["default", "kv", "meta"], db.ColumnFamilies.Select(cf => cf.Name));
            db.Put(db.GetColumnFamily("kv"), Of("k"), Of("v"));
            db.Put(db.DefaultColumnFamily, Of("d"), Of("dv"));
        }

        Assert.Equal(["default", "kv", "meta"], RocksDatabase.ListColumnFamilies(DbPath).Order());

        using RocksDatabase reopened = Open("meta", "kv");
        Assert.Equal("v", Str(reopened.Get(reopened.GetColumnFamily("kv"), Of("k"))));
        Assert.Equal("dv", Str(reopened.Get(reopened.DefaultColumnFamily, Of("d"))));
        Assert.Null(reopened.Get(reopened.GetColumnFamily("meta"), Of("k")));
    }

    [Fact]
    public void Open_creates_missing_parent_directories()
    {
        string nested = Temp.Sub(Path.Combine("a", "b", "db"));
        using RocksDatabase db = OpenAt(nested, []);
        db.Put(db.DefaultColumnFamily, Of("k"), Of("v"));
        Assert.True(File.Exists(Path.Combine(nested, "CURRENT")));
    }

    [Fact]
    public void Open_names_default_and_duplicates_once()
    {
        using RocksDatabase db = Open("default", "kv", "kv");
        Assert.Equal(["default", "kv"], db.ColumnFamilies.Select(cf => cf.Name));
    }

    [Fact]
    public void ListColumnFamilies_is_empty_when_there_is_no_database()
    {
        Assert.Empty(RocksDatabase.ListColumnFamilies(Temp.Sub("nothing-here")));
        Assert.Empty(RocksDatabase.ListColumnFamilies(Temp.Path));
    }

    [Fact]
    public void Put_get_delete_are_per_column_family()
    {
        using RocksDatabase db = Open("a", "b");
        ColumnFamily a = db.GetColumnFamily("a");
        ColumnFamily b = db.GetColumnFamily("b");

        db.Put(a, Of("key"), Of("in-a"));
        db.Put(b, Of("key"), Of("in-b"), sync: true);
        Assert.Equal("in-a", Str(db.Get(a, Of("key"))));
        Assert.Equal("in-b", Str(db.Get(b, Of("key"))));
        Assert.Null(db.Get(db.DefaultColumnFamily, Of("key")));

        db.Put(a, Of("key"), Of("in-a-2"));
        Assert.Equal("in-a-2", Str(db.Get(a, Of("key"))));

        db.Delete(a, Of("key"));
        Assert.Null(db.Get(a, Of("key")));
        Assert.Equal("in-b", Str(db.Get(b, Of("key"))));

        db.Delete(b, Of("key"), sync: true);
        db.Delete(b, Of("never-written"));
        Assert.Null(db.Get(b, Of("key")));
    }

    [Fact]
    public void Get_tells_an_empty_value_from_an_absent_key()
    {
        using RocksDatabase db = Open();
        db.Put(db.DefaultColumnFamily, Of("empty"), []);
        db.Put(db.DefaultColumnFamily, [], Of("value of the empty key"));

        byte[]? empty = db.Get(db.DefaultColumnFamily, Of("empty"));
        Assert.NotNull(empty);
        Assert.Empty(empty);
        Assert.Null(db.Get(db.DefaultColumnFamily, Of("absent")));
        Assert.Equal("value of the empty key", Str(db.Get(db.DefaultColumnFamily, [])));
    }

    [Fact]
    public void Get_reads_large_values_from_memtable_and_sst()
    {
        using RocksDatabase db = Open();
        byte[] large = new byte[3 * 1024 * 1024];
        new Random(42).NextBytes(large);
        db.Put(db.DefaultColumnFamily, Of("large"), large);
        Assert.Equal(large, db.Get(db.DefaultColumnFamily, Of("large")));

        db.Flush();
        Assert.Equal(large, db.Get(db.DefaultColumnFamily, Of("large")));
    }

    public static TheoryData<byte[]> BinaryKeys => new()
    {
        new byte[] { 0x00 },
        new byte[] { 0xFF },
        new byte[] { 0x00, 0x00, 0x00 },
        new byte[] { 0xFF, 0xFF, 0xFF, 0xFF },
        new byte[] { 0x00, 0xFF, 0x00, 0xFF },
        new byte[] { (byte)'a', 0x00, (byte)'b' },
    };

    [Theory]
    [MemberData(nameof(BinaryKeys))]
    public void Binary_keys_with_zero_and_ff_bytes_round_trip(byte[] key)
    {
        using RocksDatabase db = Open();
        byte[] value = [.. key, 0x00, 0xFF];
        db.Put(db.DefaultColumnFamily, key, value);

        Assert.Equal(value, db.Get(db.DefaultColumnFamily, key));
        // A key is its full byte string, not a C string cut at the first zero.
        Assert.Null(db.Get(db.DefaultColumnFamily, key.AsSpan(0, key.Length - 1)));
        Assert.Null(db.Get(db.DefaultColumnFamily, [.. key, 0x00]));

        db.Flush();
        Assert.Equal(value, db.Get(db.DefaultColumnFamily, key));
        db.Delete(db.DefaultColumnFamily, key);
        Assert.Null(db.Get(db.DefaultColumnFamily, key));
    }

    [Fact]
    public void GetColumnFamily_throws_KeyNotFound_for_a_family_not_opened()
    {
        using RocksDatabase db = Open("kv");
        Assert.Throws<KeyNotFoundException>(() => db.GetColumnFamily("events"));
    }

    [Fact]
    public void A_column_family_of_another_database_is_rejected()
    {
        using RocksDatabase first = Open("kv");
        using RocksDatabase second = OpenAt(Temp.Sub("other"), ["kv"]);
        ColumnFamily foreign = second.GetColumnFamily("kv");

        Assert.Throws<ArgumentException>(() => first.Put(foreign, Of("k"), Of("v")));
        Assert.Throws<ArgumentException>(() => first.Get(foreign, Of("k")));
        Assert.Throws<ArgumentException>(() => first.NewIterator(foreign));
        using RocksSnapshot foreignSnapshot = second.CreateSnapshot();
        Assert.Throws<ArgumentException>(() => first.Get(first.DefaultColumnFamily, Of("k"), foreignSnapshot));
    }

    [Fact]
    public void Opening_a_locked_database_fails_with_RocksDBs_lock_message()
    {
        using RocksDatabase db = Open("kv");
        RocksDbException ex = Assert.Throws<RocksDbException>(() => RocksDatabase.Open(DbPath, ["kv"]));
        Assert.Contains("lock", ex.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(DbPath, ex.Message);

        // The failed open must not have disturbed the open instance.
        db.Put(db.GetColumnFamily("kv"), Of("k"), Of("v"));
        Assert.Equal("v", Str(db.Get(db.GetColumnFamily("kv"), Of("k"))));
    }

    [Fact]
    public void Opening_without_naming_an_existing_family_fails()
    {
        Open("kv", "events").Dispose();
        RocksDbException ex = Assert.Throws<RocksDbException>(() => RocksDatabase.Open(DbPath, ["kv"]));
        Assert.Contains("events", ex.Message);
    }

    [Fact]
    public void Opening_an_unknown_family_fails_when_creating_missing_families_is_off()
    {
        Open("kv").Dispose();
        var options = new RocksDbOptions { CreateMissingColumnFamilies = false };
        RocksDbException ex = Assert.Throws<RocksDbException>(() => RocksDatabase.Open(DbPath, ["kv", "events"], options));
        Assert.Contains("events", ex.Message);
    }

    [Fact]
    public void Opening_a_missing_database_fails_when_creating_is_off()
    {
        var options = new RocksDbOptions { CreateIfMissing = false };
        Directory.CreateDirectory(DbPath);
        RocksDbException ex = Assert.Throws<RocksDbException>(() => RocksDatabase.Open(DbPath, [], options));
        Assert.Contains("does not exist", ex.Message);
    }

    [Fact]
    public void Invalid_options_are_rejected_before_touching_disk()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => RocksDatabase.Open(DbPath, [], new RocksDbOptions { WriteBufferSize = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => RocksDatabase.Open(DbPath, [], new RocksDbOptions { BlockCacheBytes = -1 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => RocksDatabase.Open(DbPath, [], new RocksDbOptions { MaxBackgroundJobs = 0 }));
        Assert.Throws<ArgumentException>(() => RocksDatabase.Open(DbPath, [""]));
        Assert.False(Directory.Exists(DbPath));
    }

    public static TheoryData<long?, bool, bool> OptionVariants => new()
    {
        { null, true, false },
        { 0L, true, false },
        { 8L * 1024 * 1024, true, true },
        { 8L * 1024 * 1024, false, false },
    };

    [Theory]
    [MemberData(nameof(OptionVariants))]
    public void Every_option_combination_opens_and_reads_back(long? blockCacheBytes, bool bloomFilter, bool paranoidChecks)
    {
        var options = new RocksDbOptions
        {
            BlockCacheBytes = blockCacheBytes,
            BloomFilter = bloomFilter,
            ParanoidChecks = paranoidChecks,
            WriteBufferSize = 1024 * 1024,
            MaxOpenFiles = 64,
            MaxBackgroundJobs = 4,
        };
        using (RocksDatabase db = OpenAt(DbPath, ["kv"], options))
        {
            ColumnFamily kv = db.GetColumnFamily("kv");
            for (int i = 0; i < 1000; i++)
                db.Put(kv, Of($"key-{i:D4}"), Of($"value-{i}"));
            db.Flush();
            Assert.Equal("value-500", Str(db.Get(kv, Of("key-0500"))));
            Assert.Null(db.Get(kv, Of("key-9999")));
        }
        using RocksDatabase reopened = OpenAt(DbPath, ["kv"], options);
        Assert.Equal("value-999", Str(reopened.Get(reopened.GetColumnFamily("kv"), Of("key-0999"))));
    }

    [Fact]
    public void KeyMayExist_rules_out_absent_keys_and_never_misses_present_ones()
    {
        using RocksDatabase db = Open("kv");
        ColumnFamily kv = db.GetColumnFamily("kv");
        Assert.False(db.KeyMayExist(kv, Of("k")));

        db.Put(kv, Of("k"), Of("v"));
        Assert.True(db.KeyMayExist(kv, Of("k")));
        db.Flush();
        Assert.True(db.KeyMayExist(kv, Of("k")));
    }

    [Fact]
    public void Properties_report_keys_and_sst_size()
    {
        using RocksDatabase db = Open("kv");
        ColumnFamily kv = db.GetColumnFamily("kv");
        for (int i = 0; i < 100; i++)
            db.Put(kv, Of($"key-{i:D3}"), new byte[100]);

        Assert.Equal(100, db.GetLongProperty("rocksdb.estimate-num-keys", kv));
        Assert.Equal(0, db.GetLongProperty("rocksdb.estimate-num-keys"));
        Assert.Equal(0, db.GetLongProperty("rocksdb.total-sst-files-size", kv));

        db.Flush();
        Assert.True(db.GetLongProperty("rocksdb.total-sst-files-size", kv) > 100 * 100 / 10);
        Assert.Equal("1", db.GetProperty("rocksdb.num-files-at-level0", kv));

        string? stats = db.GetProperty("rocksdb.stats");
        Assert.NotNull(stats);
        Assert.Contains("Compaction Stats", stats);

        Assert.Null(db.GetProperty("rocksdb.no-such-property"));
        Assert.Null(db.GetLongProperty("rocksdb.no-such-property", kv));
        // A string-only property is not an integer one.
        Assert.Null(db.GetLongProperty("rocksdb.stats"));
    }

    [Fact]
    public void CompactRange_merges_level0_files_and_drops_deleted_keys()
    {
        using RocksDatabase db = Open("kv");
        ColumnFamily kv = db.GetColumnFamily("kv");
        for (int i = 0; i < 1000; i++)
            db.Put(kv, Of($"key-{i:D4}"), new byte[200]);
        db.Flush();
        for (int i = 0; i < 1000; i += 2)
            db.Delete(kv, Of($"key-{i:D4}"));
        db.Flush();
        // num-files-at-level<N> is a string property.
        Assert.Equal("2", db.GetProperty("rocksdb.num-files-at-level0", kv));
        long before = db.GetLongProperty("rocksdb.total-sst-files-size", kv)!.Value;

        db.CompactRange(kv);

        Assert.Equal("0", db.GetProperty("rocksdb.num-files-at-level0", kv));
        Assert.True(db.GetLongProperty("rocksdb.total-sst-files-size", kv) < before);
        Assert.Null(db.Get(kv, Of("key-0000")));
        Assert.Equal(200, db.Get(kv, Of("key-0001"))!.Length);
        Assert.Equal(500, db.GetLongProperty("rocksdb.estimate-num-keys", kv));
    }

    [Fact]
    public void CompactRange_with_bounds_keeps_every_key_readable()
    {
        using RocksDatabase db = Open();
        ColumnFamily cf = db.DefaultColumnFamily;
        for (int i = 0; i < 100; i++)
            db.Put(cf, Of($"key-{i:D3}"), Of($"v{i}"));
        db.Flush();

        db.CompactRange(cf, Of("key-010"), Of("key-050"));
        db.CompactRange(cf, start: Of("key-050"));
        db.CompactRange(cf, limit: Of("key-010"));
        db.CompactRange(cf, [], []);

        for (int i = 0; i < 100; i++)
            Assert.Equal($"v{i}", Str(db.Get(cf, Of($"key-{i:D3}"))));
    }

    [Fact]
    public void FlushWal_makes_unsynced_writes_recoverable_from_the_wal()
    {
        using RocksDatabase db = Open("kv");
        ColumnFamily kv = db.GetColumnFamily("kv");
        for (int i = 0; i < 100; i++)
            db.Put(kv, Of($"key-{i:D3}"), Of($"value-{i}"));
        db.FlushWal(sync: true);
        db.FlushWal(sync: false);

        // Copying the files of the live database is what a crash right now would leave on disk: nothing is
        // in an SST yet, so the copy recovers the writes only by replaying the WAL.
        Assert.Equal(0, db.GetLongProperty("rocksdb.total-sst-files-size", kv));
        string crashed = Temp.Sub("crashed");
        CopyDirectory(DbPath, crashed);

        using RocksDatabase recovered = OpenAt(crashed, ["kv"]);
        ColumnFamily recoveredKv = recovered.GetColumnFamily("kv");
        for (int i = 0; i < 100; i++)
            Assert.Equal($"value-{i}", Str(recovered.Get(recoveredKv, Of($"key-{i:D3}"))));
    }

    [Fact]
    public void Checkpoint_opens_as_a_database_with_the_data_at_that_point()
    {
        using RocksDatabase db = Open("kv");
        ColumnFamily kv = db.GetColumnFamily("kv");
        db.Put(kv, Of("flushed"), Of("1"));
        db.Flush();
        db.Put(kv, Of("in-memtable"), Of("2"));

        string checkpoint = Temp.Sub("checkpoint");
        db.CreateCheckpoint(checkpoint);
        db.Put(kv, Of("after"), Of("3"));

        Assert.Equal(["default", "kv"], RocksDatabase.ListColumnFamilies(checkpoint).Order());
        using RocksDatabase copy = OpenAt(checkpoint, ["kv"]);
        ColumnFamily copyKv = copy.GetColumnFamily("kv");
        Assert.Equal("1", Str(copy.Get(copyKv, Of("flushed"))));
        Assert.Equal("2", Str(copy.Get(copyKv, Of("in-memtable"))));
        Assert.Null(copy.Get(copyKv, Of("after")));

        // The copy is independent of the original.
        copy.Put(copyKv, Of("only-in-copy"), Of("4"));
        Assert.Null(db.Get(kv, Of("only-in-copy")));
    }

    [Fact]
    public void Checkpoint_with_a_log_size_threshold_copies_the_wal_instead_of_flushing()
    {
        using RocksDatabase db = Open();
        db.Put(db.DefaultColumnFamily, Of("k"), Of("v"));

        string checkpoint = Temp.Sub("checkpoint");
        db.CreateCheckpoint(checkpoint, logSizeForFlush: ulong.MaxValue);

        Assert.Equal(0, db.GetLongProperty("rocksdb.total-sst-files-size"));
        using RocksDatabase copy = OpenAt(checkpoint, []);
        Assert.Equal("v", Str(copy.Get(copy.DefaultColumnFamily, Of("k"))));
    }

    [Fact]
    public void Checkpoint_into_an_existing_directory_fails()
    {
        using RocksDatabase db = Open();
        string existing = Temp.Sub("existing");
        Directory.CreateDirectory(existing);
        RocksDbException ex = Assert.Throws<RocksDbException>(() => db.CreateCheckpoint(existing));
        Assert.Contains("exists", ex.Message, StringComparison.OrdinalIgnoreCase);
    }

    private static void CopyDirectory(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (string file in Directory.GetFiles(from))
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
    }
}
