using MiniKube.Store.Backend;
using MiniKube.Store.Mvcc;

namespace MiniKube.Store.Tests.Mvcc;

public sealed class KeyEncodingTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Encoded_version_keys_sort_as_user_keys_then_newest_first(int seed)
    {
        var random = new Random(seed);
        var entries = new List<(byte[] Key, long Revision)>();
        for (var i = 0; i < 2000; i++)
        {
            // Small alphabet with 0x00 and 0xFF so that prefixes and escapes collide often.
            var key = new byte[random.Next(1, 5)];
            for (var j = 0; j < key.Length; j++)
            {
                key[j] = (byte)(random.Next(4) switch { 0 => 0x00, 1 => 0x01, 2 => 0xFF, _ => 'a' });
            }

            entries.Add((key, random.NextInt64(1, 1L << 40)));
        }

        var expected = entries
            .OrderBy(e => e.Key, ByteArrayComparer.Instance)
            .ThenByDescending(e => e.Revision)
            .Select(e => KeyEncoding.VersionKey(e.Key, e.Revision))
            .ToList();
        var actual = entries.Select(e => KeyEncoding.VersionKey(e.Key, e.Revision)).Order(ByteArrayComparer.Instance).ToList();
        Assert.True(expected.SequenceEqual(actual, ByteArrayComparer.Instance), $"seed {seed}: encoding does not preserve order");
    }

    [Theory]
    [InlineData(new byte[] { 0x61 }, 2L)]
    [InlineData(new byte[] { 0x00 }, 1L)]
    [InlineData(new byte[] { 0x00, 0xFF, 0x00 }, long.MaxValue)]
    [InlineData(new byte[] { 0xFF, 0x00, 0x01 }, 77L)]
    public void Version_keys_decode_to_their_user_key_and_revision(byte[] key, long revision)
    {
        var encoded = KeyEncoding.VersionKey(key, revision);
        Assert.Equal(key, KeyEncoding.UserKeyOf(encoded));
        Assert.Equal(revision, KeyEncoding.ModRevisionOf(encoded));
        Assert.True(encoded.AsSpan().StartsWith(KeyEncoding.VersionsPrefix(key)));
        Assert.True(ByteArrayComparer.Instance.Compare(encoded, KeyEncoding.AfterVersions(key)) < 0);
        Assert.True(ByteArrayComparer.Instance.Compare(encoded, KeyEncoding.RangeBound(key)) > 0);
    }

    [Fact]
    public void Range_bounds_contain_exactly_the_keys_of_the_range()
    {
        byte[][] keys = [[0x61], [0x61, 0x00], [0x61, 0x00, 0x00], [0x61, 0x01], [0x62], [0x62, 0x00]];
        var range = KeyRange.Between([0x61, 0x00], [0x62]);
        var (lower, upper) = range.EncodedBounds();
        foreach (var key in keys)
        {
            var encoded = KeyEncoding.VersionKey(key, 5);
            var inBounds = ByteArrayComparer.Instance.Compare(encoded, lower) >= 0 && ByteArrayComparer.Instance.Compare(encoded, upper!) < 0;
            Assert.Equal(range.Contains(key), inBounds);
        }
    }
}
