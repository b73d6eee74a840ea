namespace MiniKube.Testing.Linearizability;

public enum KvOp
{
    Get,
    Put,
    Delete,

    /// <summary>Txn(If(ModRevision(key) == Expected).Then(Put(key, value))); 0 expects the key to be absent.</summary>
    CasRevision,

    /// <summary>Txn(If(Value(key) == Expected).Then(Put(key, value))); fails on an absent key, as in etcd.</summary>
    CasValue,
}

/// <summary>One single-key request of the key-value model.</summary>
public sealed record KvInput(KvOp Op, string Key, string? Value = null, long ExpectedRevision = 0, string? ExpectedValue = null)
{
    public static KvInput Get(string key) => new(KvOp.Get, key);

    public static KvInput Put(string key, string value) => new(KvOp.Put, key, value);

    public static KvInput Delete(string key) => new(KvOp.Delete, key);

    public static KvInput CasRevision(string key, long expected, string value) => new(KvOp.CasRevision, key, value, ExpectedRevision: expected);

    public static KvInput CasValue(string key, string expected, string value) => new(KvOp.CasValue, key, value, ExpectedValue: expected);
}

/// <summary>
/// What came back: for a get, the value (null when absent) and its mod revision (0 when absent);
/// for a put or a successful compare-and-set, the revision it wrote at (the response header's);
/// for a delete, how many keys it deleted; for a compare-and-set, whether it succeeded.
/// </summary>
public sealed record KvOutput(string? Value = null, long ModRevision = 0, long Revision = 0, long Deleted = 0, bool Succeeded = false)
{
    public static KvOutput Got(string? value, long modRevision) => new(value, modRevision);

    public static KvOutput Put(long revision) => new(Revision: revision);

    public static KvOutput Delete(long count, long revision) => new(Deleted: count, Revision: revision);

    public static KvOutput Cas(bool succeeded, long revision) => new(Succeeded: succeeded, Revision: revision);
}
