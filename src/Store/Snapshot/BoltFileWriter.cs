using System.Buffers.Binary;

namespace MiniKube.Store.Snapshot;

/// <summary>
/// Writes a bbolt database file (the format of etcd's backend, and so of its snapshots) in one
/// pass: buckets in name order, each bucket's keys in order, every B+tree built bottom-up and
/// written as it fills. What it writes opens with bbolt and passes <c>tx.Check()</c>: two meta
/// pages, an empty freelist, then the pages of every tree, each reachable exactly once.
/// </summary>
/// <remarks>
/// The layout, from bbolt's page.go and db.go: a page is a 16-byte header (id u64, flags u16,
/// count u16, overflow u32) followed by its elements; a leaf element is (flags, pos, ksize, vsize)
/// as u32s, a branch element (pos u32, ksize u32, pgid u64), pos counting from the element itself
/// to its key; a node larger than a page continues over <c>overflow</c> further pages. A bucket is
/// a leaf element with flag 1 whose value is (root pgid u64, sequence u64). Little-endian
/// throughout (bbolt writes its structs as the machine lays them out).
/// </remarks>
public sealed class BoltFileWriter
{
    public const int PageSize = 4096;
    private const int PageHeaderSize = 16;
    private const int ElementSize = 16;
    private const uint Magic = 0xED0CDAED;
    private const uint Version = 2;
    private const ushort BranchPageFlag = 0x01;
    private const ushort LeafPageFlag = 0x02;
    private const ushort MetaPageFlag = 0x04;
    private const ushort FreelistPageFlag = 0x10;
    private const uint BucketLeafFlag = 0x01;
    private const ulong FreelistPage = 2;

    private readonly Stream _output;
    private readonly TreeBuilder _root;
    private TreeBuilder? _bucket;
    private byte[]? _bucketName;
    private ulong _nextPage = FreelistPage + 1;

    /// <param name="output">Seekable: pages are written where they belong, meta pages last.</param>
    public BoltFileWriter(Stream output)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (!output.CanSeek || !output.CanWrite)
        {
            throw new ArgumentException("a bbolt file is written to a seekable, writable stream", nameof(output));
        }

        _output = output;
        _root = new TreeBuilder(this);
    }

    /// <summary>Starts the next bucket; names must come in ascending byte order.</summary>
    public void BeginBucket(ReadOnlySpan<byte> name)
    {
        if (_bucket is not null)
        {
            throw new InvalidOperationException("end the current bucket first");
        }

        _bucketName = name.ToArray();
        _bucket = new TreeBuilder(this);
    }

    /// <summary>Adds a key-value pair to the current bucket; keys must come in strictly ascending byte order.</summary>
    public void Add(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
    {
        var bucket = _bucket ?? throw new InvalidOperationException("begin a bucket first");
        bucket.Add(key.ToArray(), value.ToArray(), flags: 0);
    }

    public void EndBucket()
    {
        var bucket = _bucket ?? throw new InvalidOperationException("no bucket is open");
        var header = new byte[16];
        BinaryPrimitives.WriteUInt64LittleEndian(header, bucket.Finish());
        _root.Add(_bucketName!, header, BucketLeafFlag);
        _bucket = null;
        _bucketName = null;
    }

    /// <summary>Writes the root bucket, the freelist and the meta pages; the file is complete after this.</summary>
    public void Finish()
    {
        if (_bucket is not null)
        {
            throw new InvalidOperationException("end the current bucket first");
        }

        var root = _root.Finish();
        WritePage(FreelistPage, FreelistPageFlag, count: 0, overflow: 0, []);
        for (ulong meta = 0; meta < 2; meta++)
        {
            // bbolt opens the valid meta with the higher txid; both describe the same tree.
            WritePage(meta, MetaPageFlag, count: 0, overflow: 0, Meta(root, txid: meta));
        }

        _output.SetLength((long)_nextPage * PageSize);
        _output.Flush();
    }

    private byte[] Meta(ulong root, ulong txid)
    {
        var meta = new byte[64];
        BinaryPrimitives.WriteUInt32LittleEndian(meta.AsSpan(0), Magic);
        BinaryPrimitives.WriteUInt32LittleEndian(meta.AsSpan(4), Version);
        BinaryPrimitives.WriteUInt32LittleEndian(meta.AsSpan(8), PageSize);
        BinaryPrimitives.WriteUInt32LittleEndian(meta.AsSpan(12), 0); // flags
        BinaryPrimitives.WriteUInt64LittleEndian(meta.AsSpan(16), root);
        BinaryPrimitives.WriteUInt64LittleEndian(meta.AsSpan(24), 0); // root bucket sequence
        BinaryPrimitives.WriteUInt64LittleEndian(meta.AsSpan(32), FreelistPage);
        BinaryPrimitives.WriteUInt64LittleEndian(meta.AsSpan(40), _nextPage); // high water mark
        BinaryPrimitives.WriteUInt64LittleEndian(meta.AsSpan(48), txid);
        BinaryPrimitives.WriteUInt64LittleEndian(meta.AsSpan(56), Fnv1a64(meta.AsSpan(0, 56)));
        return meta;
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

    /// <summary>Writes a node at the next free page id (and as many more as it needs); returns its id.</summary>
    private ulong WriteNode(ushort flags, int count, byte[] body)
    {
        var id = _nextPage;
        var pages = (PageHeaderSize + body.Length + PageSize - 1) / PageSize;
        _nextPage += (ulong)pages;
        WritePage(id, flags, (ushort)count, (uint)(pages - 1), body);
        return id;
    }

    private void WritePage(ulong id, ushort flags, ushort count, uint overflow, byte[] body)
    {
        var header = new byte[PageHeaderSize];
        BinaryPrimitives.WriteUInt64LittleEndian(header, id);
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(8), flags);
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(10), count);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(12), overflow);
        _output.Position = (long)id * PageSize;
        _output.Write(header);
        _output.Write(body);
        var written = PageHeaderSize + body.Length;
        var padding = ((written + PageSize - 1) / PageSize * PageSize) - written;
        if (padding > 0)
        {
            _output.Write(new byte[padding]);
        }
    }

    /// <summary>
    /// One B+tree, built bottom-up: leaves are packed up to a page and written as they fill; the
    /// first key and page of each is remembered, and branch levels are built from those at the end.
    /// </summary>
    private sealed class TreeBuilder(BoltFileWriter writer)
    {
        private readonly List<(byte[] Key, byte[] Value, uint Flags)> _leaf = [];
        private readonly List<(byte[] FirstKey, ulong Page)> _children = [];
        private int _leafSize = PageHeaderSize;
        private byte[]? _lastKey;

        public void Add(byte[] key, byte[] value, uint flags)
        {
            if (_lastKey is not null && key.AsSpan().SequenceCompareTo(_lastKey) <= 0)
            {
                throw new ArgumentException("keys must be added in strictly ascending order", nameof(key));
            }

            var size = ElementSize + key.Length + value.Length;
            if (_leaf.Count > 0 && _leafSize + size > PageSize)
            {
                FlushLeaf();
            }

            _leaf.Add((key, value, flags));
            _leafSize += size;
            _lastKey = key;
        }

        /// <summary>Writes what is left and the branch levels above; returns the root page.</summary>
        public ulong Finish()
        {
            if (_leaf.Count > 0 || _children.Count == 0)
            {
                FlushLeaf(); // an empty tree is one empty leaf, as bbolt creates it
            }

            var level = _children;
            while (level.Count > 1)
            {
                level = BuildBranchLevel(level);
            }

            return level[0].Page;
        }

        private void FlushLeaf()
        {
            var count = _leaf.Count;
            var body = new byte[_leafSize - PageHeaderSize];
            var data = count * ElementSize;
            for (var i = 0; i < count; i++)
            {
                var (key, value, flags) = _leaf[i];
                var element = body.AsSpan(i * ElementSize);
                BinaryPrimitives.WriteUInt32LittleEndian(element, flags);
                BinaryPrimitives.WriteUInt32LittleEndian(element[4..], (uint)(data - (i * ElementSize)));
                BinaryPrimitives.WriteUInt32LittleEndian(element[8..], (uint)key.Length);
                BinaryPrimitives.WriteUInt32LittleEndian(element[12..], (uint)value.Length);
                key.CopyTo(body, data);
                value.CopyTo(body, data + key.Length);
                data += key.Length + value.Length;
            }

            var first = count > 0 ? _leaf[0].Key : [];
            _children.Add((first, writer.WriteNode(LeafPageFlag, count, body)));
            _leaf.Clear();
            _leafSize = PageHeaderSize;
        }

        private List<(byte[] FirstKey, ulong Page)> BuildBranchLevel(List<(byte[] FirstKey, ulong Page)> children)
        {
            var parents = new List<(byte[] FirstKey, ulong Page)>();
            var start = 0;
            while (start < children.Count)
            {
                // As many children as fit in a page, and at least two (overflowing the page if the
                // keys are that large), so that each level is at most half the one below.
                var size = PageHeaderSize;
                var end = start;
                while (end < children.Count && (end - start < 2 || size + ElementSize + children[end].FirstKey.Length <= PageSize))
                {
                    size += ElementSize + children[end].FirstKey.Length;
                    end++;
                }

                parents.Add((children[start].FirstKey, WriteBranch(children, start, end, size)));
                start = end;
            }

            return parents;
        }

        private ulong WriteBranch(List<(byte[] FirstKey, ulong Page)> children, int start, int end, int size)
        {
            var count = end - start;
            var body = new byte[size - PageHeaderSize];
            var data = count * ElementSize;
            for (var i = 0; i < count; i++)
            {
                var (key, page) = children[start + i];
                var element = body.AsSpan(i * ElementSize);
                BinaryPrimitives.WriteUInt32LittleEndian(element, (uint)(data - (i * ElementSize)));
                BinaryPrimitives.WriteUInt32LittleEndian(element[4..], (uint)key.Length);
                BinaryPrimitives.WriteUInt64LittleEndian(element[8..], page);
                key.CopyTo(body, data);
                data += key.Length;
            }

            return writer.WriteNode(BranchPageFlag, count, body);
        }
    }
}
