using System.Buffers.Binary;
using MiniKube.Store.Snapshot;

namespace MiniKube.Store.Tests.Snapshot;

/// <summary>Damaged bbolt files: each gives an <see cref="InvalidDataException"/> that says what is wrong.</summary>
public sealed class BoltFileReaderTests
{
    private const int Page = BoltFileWriter.PageSize;

    private static byte[] SampleFile(int keys = 2000)
    {
        using var output = new MemoryStream();
        var writer = new BoltFileWriter(output);
        writer.BeginBucket("key"u8);
        for (var i = 0; i < keys; i++)
        {
            writer.Add(BitConverter.GetBytes(BinaryPrimitives.ReverseEndianness(i)), new byte[100]);
        }

        writer.EndBucket();
        writer.BeginBucket("meta"u8);
        writer.Add("consistent_index"u8, new byte[8]);
        writer.EndBucket();
        writer.Finish();
        return output.ToArray();
    }

    [Fact]
    public void Nested_bucket_entries_are_flagged_and_missing_buckets_are_null()
    {
        var reader = BoltFileReader.Open(SampleFile());

        Assert.Equal(["key"u8.ToArray(), "meta"u8.ToArray()], reader.BucketNames());
        Assert.Null(reader.Bucket("lease"u8));
        Assert.Equal(2000, reader.Bucket("key"u8)!.Pairs().Count());
    }

    [Fact]
    public void Meta_page_with_a_bad_checksum_is_skipped_for_the_other_one()
    {
        var file = SampleFile();
        file[(1 * Page) + 16 + 20] ^= 0xFF; // meta 1's root, under its checksum

        var reader = BoltFileReader.Open(file);

        Assert.Equal(0u, reader.TxId);
        Assert.Equal(2000, reader.Bucket("key"u8)!.Pairs().Count());
    }

    [Fact]
    public void Both_meta_pages_damaged_is_refused_naming_each_problem()
    {
        var file = SampleFile();
        file[16 + 20] ^= 0xFF;
        file[Page + 16] ^= 0xFF; // meta 1's magic

        var e = Assert.Throws<InvalidDataException>(() => BoltFileReader.Open(file));

        Assert.Equal("not a valid bbolt database: meta page 0: checksum error; meta page 1: invalid database (bad magic)", e.Message);
    }

    [Fact]
    public void Truncated_file_is_refused_with_its_size_and_the_expected_size()
    {
        var file = SampleFile();

        var e = Assert.Throws<InvalidDataException>(() => BoltFileReader.Open(file[..(file.Length - Page)]));

        Assert.StartsWith($"the database is truncated: {file.Length - Page} bytes, but its meta page says {file.Length / Page} pages", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Page_whose_header_names_another_page_is_reported_when_read()
    {
        var file = SampleFile();
        BinaryPrimitives.WriteUInt64LittleEndian(file.AsSpan(5 * Page), 7);
        var reader = BoltFileReader.Open(file);

        var e = Assert.Throws<InvalidDataException>(() => reader.Bucket("key"u8)!.Pairs().Count());

        Assert.Equal("page 5: its header says it is page 7", e.Message);
    }

    [Fact]
    public void Element_pointing_outside_its_page_is_reported_not_thrown_as_an_index_error()
    {
        var file = SampleFile();
        // The first leaf of the key bucket is page 3; its first element's pos field.
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan((3 * Page) + 16 + 4), 1_000_000);
        var reader = BoltFileReader.Open(file);

        var e = Assert.Throws<InvalidDataException>(() => reader.Bucket("key"u8)!.Pairs().Count());

        Assert.Equal("page 3: a key or value lies outside the page", e.Message);
    }

    [Fact]
    public void Check_finds_a_page_reached_twice_and_an_unreachable_one()
    {
        var file = SampleFile();
        var reader = BoltFileReader.Open(file);
        reader.Check();
        // The key bucket's root is a branch: point its second child at its first.
        var keyRoot = (int)reader.Bucket("key"u8)!.RootPage;
        Assert.Equal(0x01, BinaryPrimitives.ReadUInt16LittleEndian(file.AsSpan((keyRoot * Page) + 8)));
        var first = BinaryPrimitives.ReadUInt64LittleEndian(file.AsSpan((keyRoot * Page) + 16 + 8));
        BinaryPrimitives.WriteUInt64LittleEndian(file.AsSpan((keyRoot * Page) + 16 + 16 + 8), first);

        var e = Assert.Throws<InvalidDataException>(() => BoltFileReader.Open(file).Check());

        Assert.Contains($"page {first}: reached twice", e.Message, StringComparison.Ordinal);
        Assert.Contains("unreachable unfreed", e.Message, StringComparison.Ordinal);
    }
}
