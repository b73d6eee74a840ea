using System.Buffers.Binary;

namespace MiniKube.Store.Snapshot;

/// <summary>
/// Reads a bbolt database file (etcd's backend, and so its snapshots), as written by bbolt itself
/// or by <see cref="BoltFileWriter"/>: the newer valid meta page, then buckets, nested buckets
/// (inline ones too) and their B+trees, overflow pages included. Everything is bounds-checked: a
/// damaged file gives an <see cref="InvalidDataException"/> saying what is wrong and where, never
/// an index error. <see cref="Check"/> does what bbolt's <c>tx.Check()</c> does.
/// </summary>
/// <remarks>
/// The layout is described on <see cref="BoltFileWriter"/>. A bucket whose value has root page 0
/// is inline: its leaf page follows the 16-byte bucket header inside the value. A freelist page
/// holds page ids (u64); a count of 0xFFFF means the real count is the first id. etcd 3.4 opens
/// bbolt with NoFreelistSync, so its files usually have no freelist (the meta's freelist id is
/// all ones) and the free pages are those no tree reaches. The file is read where it lies: a
/// byte array, or a file mapped into memory (<see cref="MappedFile"/>), so a large database is
/// paged in by the OS as its trees are walked rather than copied onto the heap.
/// </remarks>
public sealed class BoltFileReader
{
    private const int PageHeaderSize = 16;
    private const int ElementSize = 16;
    private const int BucketHeaderSize = 16;
    private const int MetaSize = 64;
    private const uint Magic = 0xED0CDAED;
    private const uint Version = 2;
    private const ushort BranchPageFlag = 0x01;
    private const ushort LeafPageFlag = 0x02;
    private const ushort MetaPageFlag = 0x04;
    private const ushort FreelistPageFlag = 0x10;
    private const uint BucketLeafFlag = 0x01;
    private const ulong NoFreelist = ulong.MaxValue;

    private readonly ReadOnlyMemory<byte> _file;

    private BoltFileReader(ReadOnlyMemory<byte> file, int pageSize, ulong root, ulong freelist, ulong highWaterMark, ulong txId)
    {
        _file = file;
        PageSize = pageSize;
        RootPage = root;
        FreelistPage = freelist;
        HighWaterMark = highWaterMark;
        TxId = txId;
    }

    public int PageSize { get; }

    /// <summary>The transaction id of the meta page in use (the valid one with the higher id).</summary>
    public ulong TxId { get; }

    /// <summary>Pages in use: every page id is below it.</summary>
    public ulong HighWaterMark { get; }

    /// <summary>The database's size as bbolt reports it (<c>tx.Size()</c>): pages in use times page size.</summary>
    public long Size => (long)HighWaterMark * PageSize;

    private ulong RootPage { get; }

    private ulong FreelistPage { get; }

    /// <summary>Opens <paramref name="file"/> (a whole bbolt file, without anything appended).</summary>
    public static BoltFileReader Open(byte[] file)
    {
        ArgumentNullException.ThrowIfNull(file);
        return Open(file.AsMemory());
    }

    /// <summary>
    /// Opens <paramref name="file"/>, which must stay valid while the reader is used (a
    /// <see cref="MappedFile"/> kept open until the reader is done with).
    /// </summary>
    public static BoltFileReader Open(ReadOnlyMemory<byte> file)
    {
        if (file.Length < 2 * 1024)
        {
            throw new InvalidDataException($"not a bbolt database: {file.Length} bytes is too short for its two meta pages");
        }

        // bbolt reads the page size from meta page 0; if that one is damaged, it tries the OS's.
        var pageSize = (int)BinaryPrimitives.ReadUInt32LittleEndian(file.Span[(PageHeaderSize + 8)..]);
        if (BinaryPrimitives.ReadUInt32LittleEndian(file.Span[PageHeaderSize..]) != Magic || pageSize is < 1024 or > 65536 || (pageSize & (pageSize - 1)) != 0)
        {
            pageSize = BoltFileWriter.PageSize;
        }

        var metas = new[] { ReadMeta(file, 0, pageSize), ReadMeta(file, 1, pageSize) };
        var valid = metas.Where(m => m.Error is null).OrderByDescending(m => m.TxId).ToList();
        if (valid.Count == 0)
        {
            throw new InvalidDataException($"not a valid bbolt database: meta page 0: {metas[0].Error}; meta page 1: {metas[1].Error}");
        }

        var meta = valid[0];
        if ((ulong)file.Length < meta.HighWaterMark * (ulong)pageSize)
        {
            throw new InvalidDataException($"the database is truncated: {file.Length} bytes, but its meta page says {meta.HighWaterMark} pages of {pageSize} bytes ({meta.HighWaterMark * (ulong)pageSize} bytes)");
        }

        var reader = new BoltFileReader(file, pageSize, meta.Root, meta.Freelist, meta.HighWaterMark, meta.TxId);
        reader.CheckPageId(meta.Root, "the root bucket");
        return reader;
    }

    /// <summary>The root's buckets, in order.</summary>
    public IReadOnlyList<byte[]> BucketNames() => [.. Root.Entries().Where(e => e.IsBucket).Select(e => e.Key)];

    /// <summary>A bucket of the root, or null if there is none of that name.</summary>
    public BoltBucket? Bucket(ReadOnlySpan<byte> name) => Root.Bucket(name);

    private BoltBucket Root => new(this, RootPage, null, "root bucket");

    /// <summary>
    /// bbolt's consistency check: every page below the high water mark is reached from the meta
    /// page exactly once or is free, page headers name their own ids, keys are in order.
    /// Throws <see cref="InvalidDataException"/> listing the first problems found.
    /// </summary>
    public void Check()
    {
        var reached = new Dictionary<ulong, string>();
        var errors = new List<string>();

        void Reach(ulong page, int overflow, string what)
        {
            for (var i = 0UL; i <= (ulong)overflow; i++)
            {
                if (page + i >= HighWaterMark)
                {
                    errors.Add($"page {page + i}: {what} is beyond the high water mark {HighWaterMark}");
                }
                else if (!reached.TryAdd(page + i, what))
                {
                    errors.Add($"page {page + i}: reached twice ({reached[page + i]}; {what})");
                }
            }
        }

        Reach(0, 0, "meta");
        Reach(1, 0, "meta");
        try
        {
            if (FreelistPage != NoFreelist)
            {
                var (flags, count, overflow) = Header(FreelistPage);
                if (flags != FreelistPageFlag)
                {
                    errors.Add($"page {FreelistPage}: the freelist page has flags 0x{flags:x}");
                }

                Reach(FreelistPage, overflow, "freelist");
                foreach (var free in FreePages(FreelistPage, count))
                {
                    Reach(free, 0, "free");
                }
            }

            CheckTree(Root, Reach, errors);
        }
        catch (InvalidDataException e)
        {
            errors.Add(e.Message);
        }

        if (FreelistPage != NoFreelist)
        {
            for (var page = 0UL; page < HighWaterMark && errors.Count < 10; page++)
            {
                if (!reached.ContainsKey(page))
                {
                    errors.Add($"page {page}: unreachable unfreed");
                }
            }
        }

        if (errors.Count > 0)
        {
            throw new InvalidDataException($"bbolt database check failed, {errors.Count} errors found:\n{string.Join("\n", errors.Take(10))}");
        }
    }

    private void CheckTree(BoltBucket bucket, Action<ulong, int, string> reach, List<string> errors)
    {
        if (bucket.RootPage != 0)
        {
            WalkPages(bucket.RootPage, bucket.Path, reach);
        }

        foreach (var entry in bucket.Entries())
        {
            if (entry.IsBucket)
            {
                CheckTree(bucket.Bucket(entry.Key)!, reach, errors);
            }
        }
    }

    private void WalkPages(ulong page, string path, Action<ulong, int, string> reach)
    {
        var (flags, count, overflow) = Header(page);
        reach(page, overflow, $"{path} page {page}");
        if (flags == BranchPageFlag)
        {
            for (var i = 0; i < count; i++)
            {
                WalkPages(BranchChild(PageSpan(page), i, page), path, reach);
            }
        }
        else if (flags != LeafPageFlag)
        {
            throw new InvalidDataException($"page {page} of the {path}: flags 0x{flags:x}, neither branch nor leaf");
        }
    }

    private List<ulong> FreePages(ulong page, int count)
    {
        var body = PageSpan(page)[PageHeaderSize..];
        var start = 0;
        if (count == 0xFFFF)
        {
            count = (int)Math.Min(Read64(body, 0, page), int.MaxValue);
            start = 1;
        }

        var ids = new List<ulong>(count);
        for (var i = start; i < start + count; i++)
        {
            ids.Add(Read64(body, i * 8, page));
        }

        return ids;
    }

    /// <summary>A page with its overflow pages, bounds-checked against the file.</summary>
    private ReadOnlySpan<byte> PageSpan(ulong page)
    {
        CheckPageId(page, "a reference");
        var offset = (long)page * PageSize;
        var overflow = BinaryPrimitives.ReadUInt32LittleEndian(_file.Span[((int)offset + 12)..]);
        var length = (1L + overflow) * PageSize;
        if (page + overflow >= HighWaterMark || offset + length > _file.Length)
        {
            throw new InvalidDataException($"page {page}: its {overflow} overflow pages run past the end of the database");
        }

        var span = _file.Span.Slice((int)offset, (int)length);
        var id = BinaryPrimitives.ReadUInt64LittleEndian(span);
        if (id != page)
        {
            throw new InvalidDataException($"page {page}: its header says it is page {id}");
        }

        return span;
    }

    private (ushort Flags, int Count, int Overflow) Header(ulong page)
    {
        var span = PageSpan(page);
        return (BinaryPrimitives.ReadUInt16LittleEndian(span[8..]), BinaryPrimitives.ReadUInt16LittleEndian(span[10..]), (int)BinaryPrimitives.ReadUInt32LittleEndian(span[12..]));
    }

    private void CheckPageId(ulong page, string what)
    {
        if (page < 2 || page >= HighWaterMark || (long)page * PageSize + PageHeaderSize > _file.Length)
        {
            throw new InvalidDataException($"{what} points at page {page}, outside the database's pages 2..{HighWaterMark - 1}");
        }
    }

    private static ulong BranchChild(ReadOnlySpan<byte> page, int index, ulong pageId)
    {
        var element = PageHeaderSize + (index * ElementSize);
        return Read64(page, element + 8, pageId);
    }

    private static ulong Read64(ReadOnlySpan<byte> span, int offset, ulong page) =>
        offset >= 0 && offset + 8 <= span.Length
            ? BinaryPrimitives.ReadUInt64LittleEndian(span[offset..])
            : throw new InvalidDataException($"page {page}: an element lies outside the page");

    private static uint Read32(ReadOnlySpan<byte> span, int offset, ulong page) =>
        offset >= 0 && offset + 4 <= span.Length
            ? BinaryPrimitives.ReadUInt32LittleEndian(span[offset..])
            : throw new InvalidDataException($"page {page}: an element lies outside the page");

    private static byte[] Slice(ReadOnlySpan<byte> span, long offset, long length, ulong page) =>
        offset >= 0 && length >= 0 && offset + length <= span.Length
            ? span.Slice((int)offset, (int)length).ToArray()
            : throw new InvalidDataException($"page {page}: a key or value lies outside the page");

    private static (ulong Root, ulong Freelist, ulong HighWaterMark, ulong TxId, string? Error) ReadMeta(ReadOnlyMemory<byte> file, int index, int pageSize)
    {
        var offset = (long)index * pageSize;
        if (offset + PageHeaderSize + MetaSize > file.Length)
        {
            return (0, 0, 0, 0, "missing");
        }

        var page = file.Span.Slice((int)offset, PageHeaderSize + MetaSize);
        var meta = page[PageHeaderSize..];
        var flags = BinaryPrimitives.ReadUInt16LittleEndian(page[8..]);
        var root = BinaryPrimitives.ReadUInt64LittleEndian(meta[16..]);
        var freelist = BinaryPrimitives.ReadUInt64LittleEndian(meta[32..]);
        var hwm = BinaryPrimitives.ReadUInt64LittleEndian(meta[40..]);
        var txid = BinaryPrimitives.ReadUInt64LittleEndian(meta[48..]);
        var error = true switch
        {
            _ when BinaryPrimitives.ReadUInt32LittleEndian(meta) != Magic => "invalid database (bad magic)",
            _ when BinaryPrimitives.ReadUInt32LittleEndian(meta[4..]) != Version => "version mismatch",
            _ when BinaryPrimitives.ReadUInt64LittleEndian(meta[56..]) != Fnv1a64(meta[..56]) => "checksum error",
            _ when flags != MetaPageFlag => $"flags 0x{flags:x} on a meta page",
            _ when BinaryPrimitives.ReadUInt32LittleEndian(meta[8..]) != pageSize => "page size differs from meta page 0's",
            _ when hwm < 3 => $"high water mark {hwm}",
            _ => null,
        };
        return (root, freelist, hwm, txid, error);
    }

    private static ulong Fnv1a64(ReadOnlySpan<byte> data)
    {
        var hash = 14695981039346656037UL;
        foreach (var b in data)
        {
            hash = (hash ^ b) * 1099511628211UL;
        }

        return hash;
    }

    /// <summary>One key of a bucket: a value, or (when <see cref="IsBucket"/>) a nested bucket's header.</summary>
    public readonly record struct Entry(byte[] Key, byte[] Value, bool IsBucket);

    /// <summary>A bucket: its B+tree, or an inline page inside its parent's value.</summary>
    public sealed class BoltBucket
    {
        private readonly BoltFileReader _reader;
        private readonly byte[]? _inline;

        internal BoltBucket(BoltFileReader reader, ulong rootPage, byte[]? inline, string path)
        {
            _reader = reader;
            RootPage = rootPage;
            _inline = inline;
            Path = path;
        }

        /// <summary>For messages: "bucket key", "bucket a/b".</summary>
        public string Path { get; }

        /// <summary>The page the bucket's tree starts at; 0 for an inline bucket.</summary>
        public ulong RootPage { get; }

        /// <summary>Every entry in key order, nested buckets included (see <see cref="Entry.IsBucket"/>).</summary>
        public IEnumerable<Entry> Entries()
        {
            if (_inline is not null)
            {
                return LeafEntries(_inline, 0);
            }

            return Walk(RootPage, depth: 0);
        }

        /// <summary>The key-value pairs, nested buckets left out.</summary>
        public IEnumerable<(byte[] Key, byte[] Value)> Pairs() => Entries().Where(e => !e.IsBucket).Select(e => (e.Key, e.Value));

        public BoltBucket? Bucket(ReadOnlySpan<byte> name)
        {
            foreach (var entry in Entries())
            {
                if (entry.IsBucket && entry.Key.AsSpan().SequenceEqual(name))
                {
                    return Open(entry);
                }
            }

            return null;
        }

        private BoltBucket Open(Entry entry)
        {
            var name = System.Text.Encoding.UTF8.GetString(entry.Key);
            var path = _inline is null && RootPage == _reader.RootPage ? $"bucket {name}" : $"{Path}/{name}";
            if (entry.Value.Length < BucketHeaderSize)
            {
                throw new InvalidDataException($"{path}: its header is {entry.Value.Length} bytes, not {BucketHeaderSize}");
            }

            var root = BinaryPrimitives.ReadUInt64LittleEndian(entry.Value);
            if (root == 0)
            {
                return new BoltBucket(_reader, 0, entry.Value[BucketHeaderSize..], path);
            }

            _reader.CheckPageId(root, path);
            return new BoltBucket(_reader, root, null, path);
        }

        private IEnumerable<Entry> Walk(ulong page, int depth)
        {
            if (depth > 64)
            {
                throw new InvalidDataException($"{Path}: the tree is more than 64 levels deep (a page refers back to itself?)");
            }

            var (flags, count, _) = _reader.Header(page);
            if (flags == LeafPageFlag)
            {
                foreach (var entry in LeafEntries(_reader.PageSpan(page).ToArray(), page))
                {
                    yield return entry;
                }
            }
            else if (flags == BranchPageFlag)
            {
                var children = new List<ulong>(count);
                var span = _reader.PageSpan(page);
                for (var i = 0; i < count; i++)
                {
                    children.Add(BranchChild(span, i, page));
                }

                foreach (var child in children)
                {
                    foreach (var entry in Walk(child, depth + 1))
                    {
                        yield return entry;
                    }
                }
            }
            else
            {
                throw new InvalidDataException($"page {page} of the {Path}: flags 0x{flags:x}, neither branch nor leaf");
            }
        }

        private List<Entry> LeafEntries(byte[] page, ulong pageId)
        {
            if (page.Length < PageHeaderSize)
            {
                throw new InvalidDataException($"{Path}: an inline page of {page.Length} bytes");
            }

            var flags = BinaryPrimitives.ReadUInt16LittleEndian(page.AsSpan(8));
            if (flags != LeafPageFlag)
            {
                throw new InvalidDataException($"page {pageId} of the {Path}: flags 0x{flags:x} where a leaf was expected");
            }

            var count = BinaryPrimitives.ReadUInt16LittleEndian(page.AsSpan(10));
            var entries = new List<Entry>(count);
            for (var i = 0; i < count; i++)
            {
                var element = PageHeaderSize + (i * ElementSize);
                var entryFlags = Read32(page, element, pageId);
                var pos = Read32(page, element + 4, pageId);
                var ksize = Read32(page, element + 8, pageId);
                var vsize = Read32(page, element + 12, pageId);
                var key = Slice(page, (long)element + pos, ksize, pageId);
                var value = Slice(page, (long)element + pos + ksize, vsize, pageId);
                if (entries.Count > 0 && entries[^1].Key.AsSpan().SequenceCompareTo(key) >= 0)
                {
                    throw new InvalidDataException($"page {pageId} of the {Path}: keys out of order");
                }

                entries.Add(new Entry(key, value, (entryFlags & BucketLeafFlag) != 0));
            }

            return entries;
        }
    }
}
