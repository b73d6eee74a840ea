using System.Buffers.Binary;
using System.Text;
using Etcdserverpb;
using Google.Protobuf;
using MiniKube.Store.Backend;
using MiniKube.Store.Mvcc;
using MiniKube.Store.Server;
using MiniKube.Store.Server.Membership;

namespace MiniKube.Store.Snapshot;

/// <summary>
/// Writes a consistent view of the store as etcd 3.4 lays out its backend: a bbolt file with
/// etcd's buckets and encodings. So a snapshot taken with <c>etcdctl snapshot save</c> from
/// MiniKube is an etcd snapshot: <c>etcdctl snapshot status</c> reads it, and
/// <c>etcdctl snapshot restore</c> turns it into a data directory a real etcd starts from.
/// </summary>
/// <remarks>The "key" bucket, where the versions are, is <see cref="EtcdKeyBucket"/>.</remarks>
public static class EtcdSnapshotWriter
{
    public static void Write(IBackendView view, ClusterIdentity identity, bool noSpaceAlarm, Stream output)
    {
        ArgumentNullException.ThrowIfNull(view);
        ArgumentNullException.ThrowIfNull(identity);
        var bolt = new BoltFileWriter(output);

        // Buckets in bbolt's (byte) order; etcd creates all of these, empty or not.
        bolt.BeginBucket("alarm"u8);
        if (noSpaceAlarm)
        {
            bolt.Add(new AlarmMember { MemberID = identity.MemberId, Alarm = AlarmType.Nospace }.ToByteArray(), []);
        }

        bolt.EndBucket();

        bolt.BeginBucket("auth"u8);
        bolt.Add("authRevision"u8, BigEndian(1)); // auth disabled, as a new etcd has it
        bolt.EndBucket();
        bolt.BeginBucket("authRoles"u8);
        bolt.EndBucket();
        bolt.BeginBucket("authUsers"u8);
        bolt.EndBucket();

        bolt.BeginBucket("cluster"u8);
        bolt.Add("clusterVersion"u8, Encoding.ASCII.GetBytes(StoreServer.ClusterVersion));
        bolt.EndBucket();

        bolt.BeginBucket("key"u8);
        EtcdKeyBucket.ForEach(view, (revisionKey, _, _, keyValue) =>
        {
            bolt.Add(revisionKey, keyValue);
            return true;
        });
        bolt.EndBucket();

        bolt.BeginBucket("lease"u8);
        WriteLeases(view, bolt);
        bolt.EndBucket();

        bolt.BeginBucket("members"u8);
        MembershipSnapshot.WriteMembers(view, identity, bolt);
        bolt.EndBucket();
        bolt.BeginBucket("members_removed"u8);
        MembershipSnapshot.WriteRemoved(view, bolt);
        bolt.EndBucket();

        bolt.BeginBucket("meta"u8);
        WriteMeta(view, bolt);
        bolt.EndBucket();

        bolt.Finish();
    }

    /// <summary>etcd's lease bucket: BE64(id) → leasepb.Lease { ID = 1, TTL = 2 }.</summary>
    private static void WriteLeases(IBackendView view, BoltFileWriter bolt)
    {
        using var leases = view.Iterate(BackendTable.Leases);
        for (leases.SeekToFirst(); leases.Valid; leases.Next())
        {
            var id = BinaryPrimitives.ReadInt64BigEndian(leases.Key);
            var ttl = BinaryPrimitives.ReadInt64BigEndian(leases.Value);
            using var buffer = new MemoryStream();
            using (var lease = new CodedOutputStream(buffer, leaveOpen: true))
            {
                lease.WriteTag(1, WireFormat.WireType.Varint);
                lease.WriteInt64(id);
                lease.WriteTag(2, WireFormat.WireType.Varint);
                lease.WriteInt64(ttl);
            }

            bolt.Add(leases.Key, buffer.ToArray());
        }
    }

    private static void WriteMeta(IBackendView view, BoltFileWriter bolt)
    {
        // Before consistent_index: a bucket's keys go in byte order.
        if (MembershipSnapshot.ConfStateJson(view) is { } confState)
        {
            bolt.Add("confState"u8, confState);
        }

        bolt.Add("consistent_index"u8, BigEndian((ulong)MetaKeys.ReadLong(view, MetaKeys.AppliedIndex, 0)));
        var finished = MetaKeys.ReadLong(view, MetaKeys.CompactFinished, -1);
        if (finished > 0)
        {
            bolt.Add("finishedCompactRev"u8, EtcdKeyBucket.RevisionKey(new Revision(finished, 0), tombstone: false));
        }

        var scheduled = MetaKeys.ReadLong(view, MetaKeys.CompactScheduled, -1);
        if (scheduled > 0)
        {
            bolt.Add("scheduledCompactRev"u8, EtcdKeyBucket.RevisionKey(new Revision(scheduled, 0), tombstone: false));
        }
    }

    private static byte[] BigEndian(ulong value)
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(bytes, value);
        return bytes;
    }
}
