using System.Text;
using MiniKube.Store.Snapshot;

namespace MiniKube.Store.Tests.Snapshot;

/// <summary>
/// The bbolt files the writer produces, read back by <see cref="BoltFileReader"/>, which also does
/// what bbolt's <c>tx.Check()</c> does: every page below the high water mark is reached exactly
/// once. (That real bbolt — etcdctl — reads them is checked by the integration tests.)
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

        var file = output.ToArray();
        var reader = BoltFileReader.Open(file);
        reader.Check(); // every page below the high water mark reached exactly once
        Assert.Equal(1u, reader.TxId);
        Assert.Equal(file.Length, reader.Size);
        var read = new SortedDictionary<string, List<(byte[] Key, byte[] Value)>>(StringComparer.Ordinal);
        foreach (var name in reader.BucketNames())
        {
            var entries = reader.Bucket(name)!.Entries().ToList();
            Assert.All(entries, e => Assert.False(e.IsBucket));
            read[Encoding.ASCII.GetString(name)] = [.. entries.Select(e => (e.Key, e.Value))];
        }

        return read;
    }

    private sealed class PairComparer : IEqualityComparer<(byte[] Key, byte[] Value)>
    {
        public static readonly PairComparer Instance = new();

        public bool Equals((byte[] Key, byte[] Value) x, (byte[] Key, byte[] Value) y) => x.Key.AsSpan().SequenceEqual(y.Key) && x.Value.AsSpan().SequenceEqual(y.Value);

        public int GetHashCode((byte[] Key, byte[] Value) obj) => obj.Key.Length;
    }
}
