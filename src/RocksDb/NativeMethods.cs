using System.Reflection;
using System.Runtime.InteropServices;

namespace MiniKube.RocksDb;

/// <summary>
/// The slice of RocksDB's C API (<c>rocksdb/c.h</c>, 7.8) that this binding uses.
/// </summary>
/// <remarks>
/// Conventions of the C API that every caller relies on:
/// <list type="bullet">
/// <item><c>char** errptr</c> is written only on failure, with a <c>malloc</c>ed message: callers pass the
/// address of a zeroed local and hand it to <see cref="RocksDbException.ThrowIfError"/>, which frees it.</item>
/// <item>Functions whose object pointer does not outlive the call take a <see cref="SafeHandle"/>: the
/// marshaller holds a reference for the duration of the call, so a handle disposed by another thread
/// meanwhile is destroyed only after the call returns, and one already destroyed throws
/// <see cref="ObjectDisposedException"/> instead of being used after free. Functions that create an object which
/// keeps pointing at another (an iterator at its db, read options at a snapshot) take raw pointers: the
/// caller holds explicit references on those handles for as long as the new object lives.</item>
/// <item>Keys and values are passed as pinned spans (<c>byte*</c> plus length), never marshalled.</item>
/// </list>
/// </remarks>
internal static unsafe partial class NativeMethods
{
    private const string Library = "librocksdb.so.7.8";

    // Debian's runtime package ships only the versioned soname; the -dev package adds the unversioned link,
    // and other distributions or local builds may only have "rocksdb" on the search path.
    private static readonly string[] s_candidates = [Library, "librocksdb.so", "rocksdb"];

    // A resolver can be registered once per assembly; the static constructor runs before the first P/Invoke.
    static NativeMethods() => NativeLibrary.SetDllImportResolver(typeof(NativeMethods).Assembly, Resolve);

    private static nint Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (libraryName != Library)
            return 0;
        foreach (string candidate in s_candidates)
        {
            if (NativeLibrary.TryLoad(candidate, assembly, searchPath, out nint handle))
                return handle;
        }
        return 0;
    }

    // ---- memory ----

    [LibraryImport(Library)]
    internal static partial void rocksdb_free(nint ptr);

    // ---- options ----

    [LibraryImport(Library)]
    internal static partial nint rocksdb_options_create();

    [LibraryImport(Library)]
    internal static partial void rocksdb_options_destroy(nint options);

    [LibraryImport(Library)]
    internal static partial void rocksdb_options_set_create_if_missing(SafeOptionsHandle options, [MarshalAs(UnmanagedType.U1)] bool value);

    [LibraryImport(Library)]
    internal static partial void rocksdb_options_set_create_missing_column_families(SafeOptionsHandle options, [MarshalAs(UnmanagedType.U1)] bool value);

    [LibraryImport(Library)]
    internal static partial void rocksdb_options_increase_parallelism(SafeOptionsHandle options, int totalThreads);

    [LibraryImport(Library)]
    internal static partial void rocksdb_options_set_max_background_jobs(SafeOptionsHandle options, int value);

    [LibraryImport(Library)]
    internal static partial void rocksdb_options_set_write_buffer_size(SafeOptionsHandle options, nuint value);

    [LibraryImport(Library)]
    internal static partial void rocksdb_options_set_max_open_files(SafeOptionsHandle options, int value);

    [LibraryImport(Library)]
    internal static partial void rocksdb_options_set_paranoid_checks(SafeOptionsHandle options, [MarshalAs(UnmanagedType.U1)] bool value);

    [LibraryImport(Library)]
    internal static partial void rocksdb_options_set_keep_log_file_num(SafeOptionsHandle options, nuint value);

    [LibraryImport(Library)]
    internal static partial void rocksdb_options_set_block_based_table_factory(SafeOptionsHandle options, SafeBlockBasedTableOptionsHandle tableOptions);

    // ---- block-based table, filter policy, cache ----

    [LibraryImport(Library)]
    internal static partial nint rocksdb_block_based_options_create();

    [LibraryImport(Library)]
    internal static partial void rocksdb_block_based_options_destroy(nint options);

    /// <summary>Takes ownership of <paramref name="filterPolicy"/> (c.cc stores it in a shared_ptr).</summary>
    [LibraryImport(Library)]
    internal static partial void rocksdb_block_based_options_set_filter_policy(SafeBlockBasedTableOptionsHandle options, nint filterPolicy);

    [LibraryImport(Library)]
    internal static partial void rocksdb_block_based_options_set_no_block_cache(SafeBlockBasedTableOptionsHandle options, [MarshalAs(UnmanagedType.U1)] bool value);

    /// <summary>Copies the cache's shared_ptr: the caller still destroys its own cache wrapper.</summary>
    [LibraryImport(Library)]
    internal static partial void rocksdb_block_based_options_set_block_cache(SafeBlockBasedTableOptionsHandle options, SafeCacheHandle cache);

    [LibraryImport(Library)]
    internal static partial nint rocksdb_filterpolicy_create_bloom_full(double bitsPerKey);

    [LibraryImport(Library)]
    internal static partial nint rocksdb_cache_create_lru(nuint capacity);

    [LibraryImport(Library)]
    internal static partial void rocksdb_cache_destroy(nint cache);

    // ---- read, write and flush options ----

    [LibraryImport(Library)]
    internal static partial nint rocksdb_readoptions_create();

    [LibraryImport(Library)]
    internal static partial void rocksdb_readoptions_destroy(nint options);

    [LibraryImport(Library)]
    internal static partial void rocksdb_readoptions_set_snapshot(nint options, nint snapshot);

    /// <summary>Keeps <paramref name="key"/> by pointer: the buffer must outlive the read options.</summary>
    [LibraryImport(Library)]
    internal static partial void rocksdb_readoptions_set_iterate_lower_bound(SafeReadOptionsHandle options, byte* key, nuint keyLength);

    /// <summary>Keeps <paramref name="key"/> by pointer: the buffer must outlive the read options.</summary>
    [LibraryImport(Library)]
    internal static partial void rocksdb_readoptions_set_iterate_upper_bound(SafeReadOptionsHandle options, byte* key, nuint keyLength);

    [LibraryImport(Library)]
    internal static partial void rocksdb_readoptions_set_pin_data(SafeReadOptionsHandle options, [MarshalAs(UnmanagedType.U1)] bool value);

    [LibraryImport(Library)]
    internal static partial void rocksdb_readoptions_set_fill_cache(SafeReadOptionsHandle options, [MarshalAs(UnmanagedType.U1)] bool value);

    [LibraryImport(Library)]
    internal static partial nint rocksdb_writeoptions_create();

    [LibraryImport(Library)]
    internal static partial void rocksdb_writeoptions_destroy(nint options);

    [LibraryImport(Library)]
    internal static partial void rocksdb_writeoptions_set_sync(SafeWriteOptionsHandle options, [MarshalAs(UnmanagedType.U1)] bool value);

    [LibraryImport(Library)]
    internal static partial nint rocksdb_flushoptions_create();

    [LibraryImport(Library)]
    internal static partial void rocksdb_flushoptions_destroy(nint options);

    [LibraryImport(Library)]
    internal static partial void rocksdb_flushoptions_set_wait(SafeFlushOptionsHandle options, [MarshalAs(UnmanagedType.U1)] bool value);

    // ---- database ----

    /// <summary>Column family names marshal as NUL-terminated UTF-8 byte strings.</summary>
    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial nint rocksdb_open_column_families(
        SafeOptionsHandle options,
        string name,
        int columnFamilyCount,
        [MarshalAs(UnmanagedType.LPArray, ArraySubType = UnmanagedType.LPUTF8Str)] string[] columnFamilyNames,
        nint* columnFamilyOptions,
        nint* columnFamilyHandles,
        nint* errptr);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial nint rocksdb_list_column_families(SafeOptionsHandle options, string name, nuint* count, nint* errptr);

    [LibraryImport(Library)]
    internal static partial void rocksdb_list_column_families_destroy(nint list, nuint count);

    [LibraryImport(Library)]
    internal static partial void rocksdb_column_family_handle_destroy(nint handle);

    [LibraryImport(Library)]
    internal static partial void rocksdb_close(nint db);

    [LibraryImport(Library)]
    internal static partial void rocksdb_put_cf(
        SafeDbHandle db, SafeWriteOptionsHandle options, SafeColumnFamilyHandle columnFamily,
        byte* key, nuint keyLength, byte* value, nuint valueLength, nint* errptr);

    [LibraryImport(Library)]
    internal static partial void rocksdb_delete_cf(
        SafeDbHandle db, SafeWriteOptionsHandle options, SafeColumnFamilyHandle columnFamily,
        byte* key, nuint keyLength, nint* errptr);

    [LibraryImport(Library)]
    internal static partial void rocksdb_write(SafeDbHandle db, SafeWriteOptionsHandle options, SafeWriteBatchHandle batch, nint* errptr);

    /// <summary>Returns null when the key is absent; otherwise a pinnable slice the caller destroys.</summary>
    [LibraryImport(Library)]
    internal static partial nint rocksdb_get_pinned_cf(
        SafeDbHandle db, SafeReadOptionsHandle options, SafeColumnFamilyHandle columnFamily,
        byte* key, nuint keyLength, nint* errptr);

    [LibraryImport(Library)]
    internal static partial byte* rocksdb_pinnableslice_value(nint slice, nuint* length);

    [LibraryImport(Library)]
    internal static partial void rocksdb_pinnableslice_destroy(nint slice);

    [LibraryImport(Library)]
    [return: MarshalAs(UnmanagedType.U1)]
    internal static partial bool rocksdb_key_may_exist_cf(
        SafeDbHandle db, SafeReadOptionsHandle options, SafeColumnFamilyHandle columnFamily,
        byte* key, nuint keyLength, nint* value, nuint* valueLength, byte* timestamp, nuint timestampLength,
        byte* valueFound);

    [LibraryImport(Library)]
    internal static partial nint rocksdb_create_iterator_cf(nint db, nint options, nint columnFamily);

    [LibraryImport(Library)]
    internal static partial nint rocksdb_create_snapshot(nint db);

    [LibraryImport(Library)]
    internal static partial void rocksdb_release_snapshot(nint db, nint snapshot);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial nint rocksdb_property_value(SafeDbHandle db, string name);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial nint rocksdb_property_value_cf(SafeDbHandle db, SafeColumnFamilyHandle columnFamily, string name);

    /// <summary>Returns 0 on success, -1 when the property is unknown or not an integer.</summary>
    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int rocksdb_property_int(SafeDbHandle db, string name, ulong* value);

    /// <summary>Returns 0 on success, -1 when the property is unknown or not an integer.</summary>
    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int rocksdb_property_int_cf(SafeDbHandle db, SafeColumnFamilyHandle columnFamily, string name, ulong* value);

    /// <summary>A null start or limit means unbounded on that side. The C API reports no error.</summary>
    [LibraryImport(Library)]
    internal static partial void rocksdb_compact_range_cf(
        SafeDbHandle db, SafeColumnFamilyHandle columnFamily,
        byte* start, nuint startLength, byte* limit, nuint limitLength);

    [LibraryImport(Library)]
    internal static partial void rocksdb_flush_cf(SafeDbHandle db, SafeFlushOptionsHandle options, SafeColumnFamilyHandle columnFamily, nint* errptr);

    [LibraryImport(Library)]
    internal static partial void rocksdb_flush_wal(SafeDbHandle db, [MarshalAs(UnmanagedType.U1)] bool sync, nint* errptr);

    // ---- checkpoint ----

    [LibraryImport(Library)]
    internal static partial nint rocksdb_checkpoint_object_create(nint db, nint* errptr);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial void rocksdb_checkpoint_create(SafeCheckpointHandle checkpoint, string directory, ulong logSizeForFlush, nint* errptr);

    [LibraryImport(Library)]
    internal static partial void rocksdb_checkpoint_object_destroy(nint checkpoint);

    // ---- iterator ----

    [LibraryImport(Library)]
    internal static partial void rocksdb_iter_destroy(nint iterator);

    [LibraryImport(Library)]
    [return: MarshalAs(UnmanagedType.U1)]
    internal static partial bool rocksdb_iter_valid(SafeIteratorHandle iterator);

    [LibraryImport(Library)]
    internal static partial void rocksdb_iter_seek_to_first(SafeIteratorHandle iterator);

    [LibraryImport(Library)]
    internal static partial void rocksdb_iter_seek_to_last(SafeIteratorHandle iterator);

    [LibraryImport(Library)]
    internal static partial void rocksdb_iter_seek(SafeIteratorHandle iterator, byte* key, nuint keyLength);

    [LibraryImport(Library)]
    internal static partial void rocksdb_iter_seek_for_prev(SafeIteratorHandle iterator, byte* key, nuint keyLength);

    [LibraryImport(Library)]
    internal static partial void rocksdb_iter_next(SafeIteratorHandle iterator);

    [LibraryImport(Library)]
    internal static partial void rocksdb_iter_prev(SafeIteratorHandle iterator);

    [LibraryImport(Library)]
    internal static partial byte* rocksdb_iter_key(SafeIteratorHandle iterator, nuint* length);

    [LibraryImport(Library)]
    internal static partial byte* rocksdb_iter_value(SafeIteratorHandle iterator, nuint* length);

    [LibraryImport(Library)]
    internal static partial void rocksdb_iter_get_error(SafeIteratorHandle iterator, nint* errptr);

    // ---- write batch ----

    [LibraryImport(Library)]
    internal static partial nint rocksdb_writebatch_create();

    [LibraryImport(Library)]
    internal static partial void rocksdb_writebatch_destroy(nint batch);

    [LibraryImport(Library)]
    internal static partial void rocksdb_writebatch_clear(SafeWriteBatchHandle batch);

    [LibraryImport(Library)]
    internal static partial int rocksdb_writebatch_count(SafeWriteBatchHandle batch);

    [LibraryImport(Library)]
    internal static partial void rocksdb_writebatch_put_cf(
        SafeWriteBatchHandle batch, SafeColumnFamilyHandle columnFamily,
        byte* key, nuint keyLength, byte* value, nuint valueLength);

    [LibraryImport(Library)]
    internal static partial void rocksdb_writebatch_delete_cf(
        SafeWriteBatchHandle batch, SafeColumnFamilyHandle columnFamily, byte* key, nuint keyLength);

    [LibraryImport(Library)]
    internal static partial void rocksdb_writebatch_delete_range_cf(
        SafeWriteBatchHandle batch, SafeColumnFamilyHandle columnFamily,
        byte* startKey, nuint startKeyLength, byte* endKey, nuint endKeyLength);

    [LibraryImport(Library)]
    internal static partial byte* rocksdb_writebatch_data(SafeWriteBatchHandle batch, nuint* size);

    [LibraryImport(Library)]
    internal static partial void rocksdb_writebatch_set_save_point(SafeWriteBatchHandle batch);

    [LibraryImport(Library)]
    internal static partial void rocksdb_writebatch_rollback_to_save_point(SafeWriteBatchHandle batch, nint* errptr);

    [LibraryImport(Library)]
    internal static partial void rocksdb_writebatch_pop_save_point(SafeWriteBatchHandle batch, nint* errptr);
}
