namespace MiniKube.Store.Mvcc;

/// <summary>
/// How to read a range. <see cref="Revision"/> 0 reads the latest state; <see cref="Limit"/> 0 is
/// no limit; <see cref="CountOnly"/> counts without returning key-values.
/// </summary>
public readonly record struct RangeOptions(long Limit = 0, long Revision = 0, bool CountOnly = false);

/// <summary>
/// A range's key-values in key order, at most the limit; <see cref="Count"/> is the number of keys
/// in the whole range, whatever the limit; <see cref="Revision"/> is the store's revision when read.
/// </summary>
public sealed record RangeResult(List<Mvccpb.KeyValue> KeyValues, long Count, long Revision);
