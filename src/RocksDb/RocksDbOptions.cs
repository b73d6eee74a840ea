namespace MiniKube.RocksDb;

/// <summary>
/// How a database is opened. Every column family gets the same options and shares one table factory, and so
/// one block cache. Nothing here trades durability for speed: the WAL is always on, and
/// <see cref="RocksDatabase.Write"/> with <c>sync: true</c> fsyncs it.
/// </summary>
public sealed class RocksDbOptions
{
    /// <summary>Create the database (and its directory) if it does not exist.</summary>
    public bool CreateIfMissing { get; init; } = true;

    /// <summary>Create the column families passed to <see cref="RocksDatabase.Open"/> that do not exist yet.</summary>
    public bool CreateMissingColumnFamilies { get; init; } = true;

    /// <summary>
    /// Background flush and compaction jobs. Also sizes RocksDB's default thread pools, which are shared by
    /// every database in the process, so the last database opened decides.
    /// </summary>
    public int MaxBackgroundJobs { get; init; } = 2;

    /// <summary>Bytes a memtable may hold before it is flushed to an SST file (per column family).</summary>
    public long WriteBufferSize { get; init; } = 64L * 1024 * 1024;

    /// <summary>Table files kept open; -1 keeps all open, which avoids reopening on reads.</summary>
    public int MaxOpenFiles { get; init; } = -1;

    /// <summary>Check more aggressively for corruption, failing reads and writes rather than skipping.</summary>
    public bool ParanoidChecks { get; init; }

    /// <summary>
    /// Size of a shared LRU block cache. Null keeps RocksDB's default per-database cache; 0 disables the
    /// block cache.
    /// </summary>
    public long? BlockCacheBytes { get; init; }

    /// <summary>A 10 bits-per-key bloom filter on every table, so reads of absent keys rarely touch disk.</summary>
    public bool BloomFilter { get; init; } = true;

    /// <summary>
    /// Old info logs (<c>LOG.old.*</c>) to keep. RocksDB starts a new one on every open and by default keeps
    /// a thousand.
    /// </summary>
    public int KeepLogFileNum { get; init; } = 10;

    private const double BloomBitsPerKey = 10;

    internal SafeOptionsHandle CreateNative()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxBackgroundJobs, 1, nameof(MaxBackgroundJobs));
        ArgumentOutOfRangeException.ThrowIfLessThan(WriteBufferSize, 1, nameof(WriteBufferSize));
        ArgumentOutOfRangeException.ThrowIfLessThan(KeepLogFileNum, 1, nameof(KeepLogFileNum));
        if (BlockCacheBytes is long cacheBytes)
            ArgumentOutOfRangeException.ThrowIfNegative(cacheBytes, nameof(BlockCacheBytes));

        var options = SafeOptionsHandle.Create();
        try
        {
            NativeMethods.rocksdb_options_set_create_if_missing(options, CreateIfMissing);
            NativeMethods.rocksdb_options_set_create_missing_column_families(options, CreateMissingColumnFamilies);
            // increase_parallelism sizes the thread pools; it also sets max_background_jobs, set again explicitly.
            NativeMethods.rocksdb_options_increase_parallelism(options, MaxBackgroundJobs);
            NativeMethods.rocksdb_options_set_max_background_jobs(options, MaxBackgroundJobs);
            NativeMethods.rocksdb_options_set_write_buffer_size(options, (nuint)WriteBufferSize);
            NativeMethods.rocksdb_options_set_max_open_files(options, MaxOpenFiles);
            NativeMethods.rocksdb_options_set_paranoid_checks(options, ParanoidChecks);
            NativeMethods.rocksdb_options_set_keep_log_file_num(options, (nuint)KeepLogFileNum);

            using var table = SafeBlockBasedTableOptionsHandle.Create();
            if (BloomFilter)
            {
                // The table options take ownership of the policy; it must not be destroyed here.
                NativeMethods.rocksdb_block_based_options_set_filter_policy(
                    table, NativeMethods.rocksdb_filterpolicy_create_bloom_full(BloomBitsPerKey));
            }
            if (BlockCacheBytes == 0)
            {
                NativeMethods.rocksdb_block_based_options_set_no_block_cache(table, true);
            }
            else if (BlockCacheBytes is long bytes)
            {
                using var cache = SafeCacheHandle.CreateLru((nuint)bytes);
                NativeMethods.rocksdb_block_based_options_set_block_cache(table, cache);
            }
            NativeMethods.rocksdb_options_set_block_based_table_factory(options, table);
            return options;
        }
        catch
        {
            options.Dispose();
            throw;
        }
    }
}
