using MiniKube.Cli.Bench;

namespace MiniKube.Cli.Tests.Bench;

public sealed class BenchKeysTests
{
    [Theory]
    [InlineData(8, 1000)]
    [InlineData(16, 1000)]
    [InlineData(2, 65536)] // every 2-byte key: the range runs to the end of the key space
    [InlineData(1, 10)]
    public void Keys_sort_as_their_numbers_and_fall_in_the_space_range(int keySize, long keySpace)
    {
        var (start, end) = BenchKeys.SpaceRange(keySize, keySpace);
        var previous = (byte[]?)null;
        foreach (var index in new long[] { 0, 1, keySpace / 2, keySpace - 1 })
        {
            var key = BenchKeys.Key(keySize, index).ToByteArray();
            Assert.Equal(keySize, key.Length);
            Assert.True(key.AsSpan().SequenceCompareTo(start.Span) >= 0);
            Assert.True(end.Span.SequenceEqual(new byte[] { 0 }) || key.AsSpan().SequenceCompareTo(end.Span) < 0);
            Assert.True(previous is null || previous.AsSpan().SequenceCompareTo(key) <= 0);
            previous = key;
        }
    }

    [Fact]
    public void Key_space_larger_than_the_key_size_allows_is_refused()
    {
        var settings = new StoreBenchSettings { Endpoints = [new Uri("http://127.0.0.1:2379")], KeySize = 1, KeySpaceSize = 257 };

        Assert.Contains("--key-space-size", settings.Validate(), StringComparison.Ordinal);
    }
}
