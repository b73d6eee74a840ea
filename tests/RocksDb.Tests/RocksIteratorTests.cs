using static MiniKube.RocksDb.Tests.Bytes;

namespace MiniKube.RocksDb.Tests;

public sealed class RocksIteratorTests : DatabaseTest
{
    private static readonly string[] s_keys = ["a", "b", "c", "d", "e", "f"];

    private RocksDatabase OpenWithKeys(bool flush)
    {
        RocksDatabase db = Open("kv");
        ColumnFamily kv = db.GetColumnFamily("kv");
        foreach (string k in s_keys)
            db.Put(kv, Of(k), Of("v-" + k));
        if (flush)
            db.Flush();
        return db;
    }

    private static List<string> Forward(RocksIterator it)
    {
        var keys = new List<string>();
        for (it.SeekToFirst(); it.Valid; it.Next())
            keys.Add(Str(it.Key()));
        it.ThrowIfError();
        return keys;
    }

    private static List<string> Backward(RocksIterator it)
    {
        var keys = new List<string>();
        for (it.SeekToLast(); it.Valid; it.Prev())
            keys.Add(Str(it.Key()));
        it.ThrowIfError();
        return keys;
    }

    private static readonly (string? Lower, string? Upper, string[] Expected)[] s_bounds =
    [
        (null, null, ["a", "b", "c", "d", "e", "f"]),
        ("b", null, ["b", "c", "d", "e", "f"]),
        (null, "e", ["a", "b", "c", "d"]),
        ("b", "e", ["b", "c", "d"]),
        ("bb", "dd", ["c", "d"]),
        ("c", "c", []),
        ("", null, ["a", "b", "c", "d", "e", "f"]),
        (null, "", []),
    ];

    /// <summary>Every bound case, reading from the memtable and, flushed, from an SST file.</summary>
    public static TheoryData<string?, string?, string[], bool> Bounds()
    {
        var data = new TheoryData<string?, string?, string[], bool>();
        foreach (bool flush in new[] { false, true })
        {
            foreach ((string? lower, string? upper, string[] expected) in s_bounds)
                data.Add(lower, upper, expected, flush);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Bounds))]
    public void Bounds_limit_forward_and_backward_iteration(string? lower, string? upper, string[] expected, bool flush)
    {
        using RocksDatabase db = OpenWithKeys(flush);
        using RocksIterator it = db.NewIterator(
            db.GetColumnFamily("kv"), lower is null ? null : Of(lower), upper is null ? null : Of(upper));

        Assert.Equal(expected, Forward(it));
        Assert.Equal(expected.Reverse(), Backward(it));
    }

    [Fact]
    public void Bounds_are_copied_so_the_callers_arrays_may_change()
    {
        using RocksDatabase db = OpenWithKeys(flush: false);
        byte[] lower = Of("b");
        byte[] upper = Of("d");
        using RocksIterator it = db.NewIterator(db.GetColumnFamily("kv"), lower, upper);
        lower[0] = (byte)'a';
        upper[0] = (byte)'z';

        Assert.Equal(["b", "c"], Forward(it));
    }

    [Fact]
    public void Seek_and_SeekForPrev_land_on_the_nearest_key_inside_the_bounds()
    {
        using RocksDatabase db = OpenWithKeys(flush: true);
        using RocksIterator it = db.NewIterator(db.GetColumnFamily("kv"), Of("b"), Of("e"));

        it.Seek(Of("bb"));
        Assert.Equal("c", Str(it.Key()));
        Assert.Equal("v-c", Str(it.Value()));

        it.SeekForPrev(Of("cc"));
        Assert.Equal("c", Str(it.Key()));
        it.Prev();
        Assert.Equal("b", Str(it.Key()));
        it.Prev();
        Assert.False(it.Valid);

        it.SeekForPrev(Of("z"));
        Assert.Equal("d", Str(it.Key()));
        it.Next();
        Assert.False(it.Valid);

        it.Seek(Of("a"));
        Assert.Equal("b", Str(it.Key()));
        it.Seek(Of("e"));
        Assert.False(it.Valid);
        it.SeekForPrev(Of("a"));
        Assert.False(it.Valid);
        it.ThrowIfError();
    }

    [Fact]
    public void Binary_keys_iterate_in_bytewise_order()
    {
        using RocksDatabase db = Open();
        byte[][] keys =
        [
            [],
            [0x00],
            [0x00, 0x00],
            [0x00, 0xFF],
            [0x01],
            [0x7F],
            [0x80],
            [0xFF],
            [0xFF, 0x00],
            [0xFF, 0xFF],
        ];
        foreach (byte[] key in keys.Reverse())
            db.Put(db.DefaultColumnFamily, key, [.. key, 0x00]);

        using RocksIterator it = db.NewIterator(db.DefaultColumnFamily);
        var seen = new List<byte[]>();
        for (it.SeekToFirst(); it.Valid; it.Next())
        {
            seen.Add(it.KeyArray());
            Assert.Equal([.. it.KeyArray(), 0x00], it.ValueArray());
        }
        Assert.Equal(keys, seen);

        using RocksIterator bounded = db.NewIterator(db.DefaultColumnFamily, lowerBound: [0x00, 0xFF], upperBound: [0xFF, 0x00]);
        bounded.SeekToFirst();
        Assert.Equal([0x00, 0xFF], bounded.KeyArray());
        bounded.SeekToLast();
        Assert.Equal([0xFF], bounded.KeyArray());
    }

    [Fact]
    public void An_iterator_reads_the_state_as_of_its_creation()
    {
        using RocksDatabase db = OpenWithKeys(flush: false);
        ColumnFamily kv = db.GetColumnFamily("kv");
        using RocksIterator it = db.NewIterator(kv);
        db.Put(kv, Of("aa"), Of("new"));
        db.Delete(kv, Of("b"));

        Assert.Equal(s_keys, Forward(it));
    }

    [Fact]
    public void PinData_iterates_the_same_entries_from_memtable_and_sst()
    {
        using RocksDatabase db = Open("kv");
        ColumnFamily kv = db.GetColumnFamily("kv");
        var expected = new List<(string Key, string Value)>();
        for (int i = 0; i < 500; i++)
        {
            db.Put(kv, Of($"key-{i:D4}"), Of($"value-{i}"));
            expected.Add(($"key-{i:D4}", $"value-{i}"));
            if (i == 249)
                db.Flush();
        }
        db.Put(kv, Of("key-0000"), Of("overwritten-in-memtable"));
        expected[0] = ("key-0000", "overwritten-in-memtable");

        using RocksIterator pinned = db.NewIterator(kv, pinData: true, fillCache: false);
        var forward = new List<(string, string)>();
        for (pinned.SeekToFirst(); pinned.Valid; pinned.Next())
            forward.Add((Str(pinned.Key()), Str(pinned.Value())));
        Assert.Equal(expected, forward);

        var backward = new List<(string, string)>();
        for (pinned.SeekToLast(); pinned.Valid; pinned.Prev())
            backward.Add((Str(pinned.Key()), Str(pinned.Value())));
        backward.Reverse();
        Assert.Equal(expected, backward);
        pinned.ThrowIfError();
    }

    [Fact]
    public void An_unpositioned_iterator_refuses_to_read_or_move()
    {
        using RocksDatabase db = OpenWithKeys(flush: false);
        using RocksIterator it = db.NewIterator(db.GetColumnFamily("kv"));

        Assert.False(it.Valid);
        Assert.Throws<InvalidOperationException>(() => it.Key().Length);
        Assert.Throws<InvalidOperationException>(() => it.Value().Length);
        Assert.Throws<InvalidOperationException>(it.Next);
        Assert.Throws<InvalidOperationException>(it.Prev);

        it.SeekToLast();
        it.Next();
        Assert.False(it.Valid);
        Assert.Throws<InvalidOperationException>(it.KeyArray);
        it.ThrowIfError();
    }

    [Fact]
    public void An_empty_family_yields_nothing()
    {
        using RocksDatabase db = Open("kv");
        using RocksIterator it = db.NewIterator(db.GetColumnFamily("kv"));
        Assert.Empty(Forward(it));
        Assert.Empty(Backward(it));
    }
}
