namespace MiniKube.Grpc.Http2;

/// <summary>
/// A mirror of the HPACK dynamic table as the client's encoder sees it (RFC 7541 section 2.3.2 and
/// 4), keeping of each entry only what resolving an index needs: its name's length, its size, and
/// whether the name is ":authority". Never called concurrently (one per connection).
/// </summary>
internal sealed class HpackDynamicTableMirror
{
    /// <summary>Entries take name + value + 32 bytes (RFC 7541 section 4.1).</summary>
    public const int EntryOverhead = 32;

    private Entry[] _ring = new Entry[16];
    private int _newest = -1;

    /// <summary>The size limit in force; 4096 until the encoder announces another (RFC 7540 SETTINGS_HEADER_TABLE_SIZE default).</summary>
    public int MaxSize { get; private set; } = 4096;

    public int Size { get; private set; }

    public int Count { get; private set; }

    /// <summary>The entry at a 0-based dynamic index, 0 being the newest (HPACK index 62).</summary>
    public Entry this[int index]
    {
        get
        {
            if ((uint)index >= (uint)Count)
            {
                throw new HpackException($"dynamic table index {index + HpackStaticTable.Count + 1} is beyond the table");
            }

            return _ring[(_newest - index + _ring.Length) % _ring.Length];
        }
    }

    public void Add(int nameLength, int valueLength, bool isAuthority)
    {
        var size = nameLength + valueLength + EntryOverhead;
        EvictUntil(MaxSize - size);
        if (size > MaxSize)
        {
            // An entry larger than the table empties it and is not added (RFC 7541 section 4.4).
            return;
        }

        if (Count == _ring.Length)
        {
            Grow();
        }

        _newest = (_newest + 1) % _ring.Length;
        _ring[_newest] = new Entry(nameLength, size, isAuthority);
        Count++;
        Size += size;
    }

    public void SetMaxSize(int maxSize)
    {
        MaxSize = maxSize;
        EvictUntil(maxSize);
    }

    private void EvictUntil(int targetSize)
    {
        while (Count > 0 && Size > targetSize)
        {
            Size -= this[Count - 1].Size;
            Count--;
        }
    }

    private void Grow()
    {
        var larger = new Entry[_ring.Length * 2];
        for (var i = 0; i < Count; i++)
        {
            larger[Count - 1 - i] = this[i];
        }

        _ring = larger;
        _newest = Count - 1;
    }

    public readonly record struct Entry(int NameLength, int Size, bool IsAuthority);
}
