using System.Buffers.Binary;
using System.Text;
using MiniKube.Store.Snapshot;

namespace MiniKube.Store.Tests.Snapshot;

/// <summary>
/// The bbolt files the writer produces, read back by a reader written from bbolt's page layout
/// that also does what bbolt's <c>tx.Check()</c> does: every page below the high water mark is
/// reached exactly once. (That real bbolt — etcdctl — reads them is checked by the integration tests.)
/// </summary>
public sealed class BoltFileWriterTests
{
    [Fact]
    public void Empty_buckets_and_a_few_keys_read_back()
    {
        var buckets = new SortedDictionary<string, List<(byte[], byte[])>>(StringComparer.Ordinal)
        {
            ["alarm"] = [],
            ["meta"] = [("consistent_index"u8.ToArray(), new byte[8])],
        };

        var read = RoundTrip(buckets);

        Assert.Equal(["alarm", "meta"], read.Keys);
        Assert.Empty(read["alarm"]);
        Assert.Equal("consistent_index", Encoding.ASCII.GetString(Assert.Single(read["meta"]).Key));
    }

    [Theory]
    [InlineData(1, 10_000, 300)]
    [InlineData(2, 50_000, 40)]
    [InlineData(3, 300, 9_000)] // values larger than a page: overflow pages
    public void Many_keys_over_several_tree_levels_read_back_in_order(int seed, int count, int maxValue)
    {
        var random = new Random(seed);
        var entries = new SortedDictionary<byte[], byte[]>(Comparer<byte[]>.Create((a, b) => a.AsSpan().SequenceCompareTo(b)));
        while (entries.Count < count)
        {
            var key = new byte[random.Next(1, 40)];
            random.NextBytes(key);
            var value = new byte[random.Next(0, maxValue)];
            random.NextBytes(value);
            entries[key] = value;
        }

        var buckets = new SortedDictionary<string, List<(byte[], byte[])>>(StringComparer.Ordinal)
        {
            ["key"] = [.. entries.Select(e => (e.Key, e.Value))],
            ["lease"] = [],
        };

        var read = RoundTrip(buckets);

        Assert.True(read["key"].Count == count, $"seed {seed}: {read["key"].Count} of {count} keys read back");
        Assert.True(entries.Select(e => (e.Key, e.Value)).SequenceEqual(read["key"], PairComparer.Instance), $"seed {seed}: keys or values differ");
    }

    [Fact]
    public void Keys_out_of_order_are_refused()
    {
        using var output = new MemoryStream();
        var writer = new BoltFileWriter(output);
        writer.BeginBucket("key"u8);
        writer.Add("b"u8, "1"u8);

        Assert.Throws<ArgumentException>(() => writer.Add("a"u8, "2"u8));
        Assert.Throws<ArgumentException>(() => writer.Add("b"u8, "2"u8));
    }

    private static SortedDictionary<string, List<(byte[] Key, byte[] Value)>> RoundTrip(SortedDictionary<string, List<(byte[], byte[])>> buckets)
    {
        using var output = new MemoryStream();
        var writer = new BoltFileWriter(output);
        foreach (var (name, entries) in buckets)
        {
            writer.BeginBucket(Encoding.ASCII.GetBytes(name));
            foreach (var (key, value) in entries)
            {
                writer.Add(key, value);
            }

            writer.EndBucket();
        }

        writer.Finish();

        return BoltReader.Read(output.ToArray());
    }

    private sealed class PairComparer : IEqualityComparer<(byte[] Key, byte[] Value)>
    {
        public static readonly PairComparer Instance = new();

        public bool Equals((byte[] Key, byte[] Value) x, (byte[] Key, byte[] Value) y) => x.Key.AsSpan().SequenceEqual(y.Key) && x.Value.AsSpan().SequenceEqual(y.Value);

        public int GetHashCode((byte[] Key, byte[] Value) obj) => obj.Key.Length;
    }

    /// <summary>bbolt's layout, read: meta pages, then each bucket's B+tree; pages counted as reached.</summary>
    private sealed class BoltReader
    {
        private readonly byte[] _file;
        private readonly int _pageSize;
        private readonly HashSet<ulong> _reached = [0, 1];

        private BoltReader(byte[] file)
        {
            _file = file;
            _pageSize = (int)BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(16 + 8));
        }

        public static SortedDictionary<string, List<(byte[] Key, byte[] Value)>> Read(byte[] file)
        {
            var reader = new BoltReader(file);
            var meta = reader.Meta(1);
            Assert.Equal(0u, reader.Meta(0).Txid);
            Assert.Equal(1u, meta.Txid);
            Assert.Equal(0, file.Length % reader._pageSize);
            Assert.Equal((ulong)file.Length / (ulong)reader._pageSize, meta.HighWaterMark);

            Assert.Equal(0x10, reader.Flags(meta.Freelist));
            Assert.Equal(0, BinaryPrimitives.ReadUInt16LittleEndian(file.AsSpan(((int)meta.Freelist * reader._pageSize) + 10)));
            reader.Reach(meta.Freelist);

            var buckets = new SortedDictionary<string, List<(byte[] Key, byte[] Value)>>(StringComparer.Ordinal);
            foreach (var (name, value, flags) in reader.Walk(meta.Root))
            {
                Assert.Equal(1u, flags);
                Assert.Equal(16, value.Length);
                var root = BinaryPrimitives.ReadUInt64LittleEndian(value);
                var entries = reader.Walk(root);
                Assert.All(entries, e => Assert.Equal(0u, e.Flags));
                buckets[Encoding.ASCII.GetString(name)] = [.. entries.Select(e => (e.Key, e.Value))];
            }

            for (ulong page = 0; page < meta.HighWaterMark; page++)
            {
                Assert.True(reader._reached.Contains(page), $"page {page}: unreachable unfreed");
            }

            return buckets;
        }

        private (ulong Root, ulong Freelist, ulong HighWaterMark, ulong Txid) Meta(int page)
        {
            var meta = _file.AsSpan((page * _pageSize) + 16, 64);
            Assert.Equal(0xED0CDAEDu, BinaryPrimitives.ReadUInt32LittleEndian(meta));
            Assert.Equal(2u, BinaryPrimitives.ReadUInt32LittleEndian(meta[4..]));
            var hash = 14695981039346656037UL;
            foreach (var b in meta[..56])
            {
                hash = (hash ^ b) * 1099511628211UL;
            }

            Assert.Equal(hash, BinaryPrimitives.ReadUInt64LittleEndian(meta[56..]));
            return (BinaryPrimitives.ReadUInt64LittleEndian(meta[16..]), BinaryPrimitives.ReadUInt64LittleEndian(meta[32..]),
                BinaryPrimitives.ReadUInt64LittleEndian(meta[40..]), BinaryPrimitives.ReadUInt64LittleEndian(meta[48..]));
        }

        private int Flags(ulong page) => BinaryPrimitives.ReadUInt16LittleEndian(_file.AsSpan(((int)page * _pageSize) + 8));

        private void Reach(ulong page)
        {
            var overflow = BinaryPrimitives.ReadUInt32LittleEndian(_file.AsSpan(((int)page * _pageSize) + 12));
            Assert.Equal(page, BinaryPrimitives.ReadUInt64LittleEndian(_file.AsSpan((int)page * _pageSize)));
            for (ulong i = 0; i <= overflow; i++)
            {
                Assert.True(_reached.Add(page + i), $"page {page + i}: multiple references");
            }
        }

        private List<(byte[] Key, byte[] Value, uint Flags)> Walk(ulong page)
        {
            Reach(page);
            var start = (int)page * _pageSize;
            var flags = Flags(page);
            var count = BinaryPrimitives.ReadUInt16LittleEndian(_file.AsSpan(start + 10));
            var entries = new List<(byte[] Key, byte[] Value, uint Flags)>();
            for (var i = 0; i < count; i++)
            {
                var element = start + 16 + (i * 16);
                if (flags == 0x01)
                {
                    var pos = (int)BinaryPrimitives.ReadUInt32LittleEndian(_file.AsSpan(element));
                    var ksize = (int)BinaryPrimitives.ReadUInt32LittleEndian(_file.AsSpan(element + 4));
                    var child = BinaryPrimitives.ReadUInt64LittleEndian(_file.AsSpan(element + 8));
                    var children = Walk(child);
                    Assert.Equal(_file.AsSpan(element + pos, ksize).ToArray(), children[0].Key);
                    entries.AddRange(children);
                }
                else
                {
                    Assert.Equal(0x02, flags);
                    var entryFlags = BinaryPrimitives.ReadUInt32LittleEndian(_file.AsSpan(element));
                    var pos = (int)BinaryPrimitives.ReadUInt32LittleEndian(_file.AsSpan(element + 4));
                    var ksize = (int)BinaryPrimitives.ReadUInt32LittleEndian(_file.AsSpan(element + 8));
                    var vsize = (int)BinaryPrimitives.ReadUInt32LittleEndian(_file.AsSpan(element + 12));
                    entries.Add((_file.AsSpan(element + pos, ksize).ToArray(), _file.AsSpan(element + pos + ksize, vsize).ToArray(), entryFlags));
                }
            }

            return entries;
        }
    }
}
