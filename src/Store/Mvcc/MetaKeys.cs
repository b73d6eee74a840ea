using System.Buffers.Binary;
using MiniKube.Store.Backend;

namespace MiniKube.Store.Mvcc;

/// <summary>Names of the values in the meta table, and how integers are stored there (BE64).</summary>
public static class MetaKeys
{
    /// <summary>The revision of the last write transaction, written in the same batch as the transaction.</summary>
    public static readonly byte[] Revision = "revision"u8.ToArray();

    /// <summary>
    /// The index of the last write applied, written in the same batch as its effects, so that after
    /// a crash the store knows exactly which writes it holds (etcd's consistent index).
    /// </summary>
    public static readonly byte[] AppliedIndex = "applied_index"u8.ToArray();

    /// <summary>The revision a compaction was requested at; reads below it fail from then on.</summary>
    public static readonly byte[] CompactScheduled = "compact_scheduled"u8.ToArray();

    /// <summary>The revision the physical compaction finished at; behind the scheduled one after a crash.</summary>
    public static readonly byte[] CompactFinished = "compact_finished"u8.ToArray();

    public static readonly byte[] ClusterId = "cluster_id"u8.ToArray();

    public static readonly byte[] MemberId = "member_id"u8.ToArray();

    public static long ReadLong(IBackendReader reader, byte[] key, long missing)
    {
        var value = reader.Get(BackendTable.Meta, key);
        return value is null ? missing : BinaryPrimitives.ReadInt64BigEndian(value);
    }

    public static void WriteLong(IBackendBatch batch, byte[] key, long value)
    {
        Span<byte> buffer = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(buffer, value);
        batch.Put(BackendTable.Meta, key, buffer);
    }
}
