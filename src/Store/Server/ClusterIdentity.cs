using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using MiniKube.Store.Backend;
using MiniKube.Store.Mvcc;
using MiniKube.Store.Snapshot;

namespace MiniKube.Store.Server;

/// <summary>
/// Who this member is: IDs computed as etcd computes them (membership/member.go, cluster.go),
/// fixed on first start and kept in the meta table so they survive restarts.
/// </summary>
public sealed record ClusterIdentity(ulong ClusterId, ulong MemberId, string Name, IReadOnlyList<Uri> PeerUrls, IReadOnlyList<Uri> ClientUrls)
{
    /// <summary>
    /// This member's identity: as stored, or, on first start, its ID from its advertised peer URLs
    /// and the cluster ID from the IDs of <paramref name="initialMembers"/> (the founding members).
    /// </summary>
    public static ClusterIdentity LoadOrCreate(IBackend backend, StoreOptions options, IReadOnlyList<RestoredMember> initialMembers)
    {
        var peerUrls = options.ResolvedAdvertisePeerUrls;
        var clientUrls = options.ResolvedAdvertiseClientUrls;
        var storedMember = backend.Get(BackendTable.Meta, MetaKeys.MemberId);
        var storedCluster = backend.Get(BackendTable.Meta, MetaKeys.ClusterId);
        if (storedMember is not null && storedCluster is not null)
        {
            return new ClusterIdentity(BinaryPrimitives.ReadUInt64BigEndian(storedCluster), BinaryPrimitives.ReadUInt64BigEndian(storedMember), options.Name, peerUrls, clientUrls);
        }

        var memberId = ComputeMemberId(peerUrls, options.InitialClusterToken);
        var clusterId = ComputeClusterId(initialMembers.Select(m => m.Id));
        Save(backend, clusterId, memberId);
        return new ClusterIdentity(clusterId, memberId, options.Name, peerUrls, clientUrls);
    }

    /// <summary>
    /// Fixes this member's IDs as given: a member joining an existing cluster is told them by the
    /// cluster's members (its ID was chosen by MemberAdd), rather than computing them.
    /// </summary>
    public static void Save(IBackend backend, ulong clusterId, ulong memberId)
    {
        using var batch = backend.CreateBatch();
        Span<byte> buffer = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(buffer, memberId);
        batch.Put(BackendTable.Meta, MetaKeys.MemberId, buffer);
        BinaryPrimitives.WriteUInt64BigEndian(buffer, clusterId);
        batch.Put(BackendTable.Meta, MetaKeys.ClusterId, buffer);
        backend.Write(batch);
        backend.Sync();
    }

    /// <summary>Whether this backend already belongs to a member (its IDs are fixed).</summary>
    public static bool Exists(IBackendReader backend) =>
        backend.Get(BackendTable.Meta, MetaKeys.MemberId) is not null && backend.Get(BackendTable.Meta, MetaKeys.ClusterId) is not null;

    // SHA-1 here names things the way etcd does; nothing depends on it resisting collisions.
#pragma warning disable CA5350
    /// <summary>sha1(sorted peer URLs ‖ cluster token), first 8 bytes big-endian.</summary>
    public static ulong ComputeMemberId(IEnumerable<Uri> peerUrls, string clusterToken)
    {
        var joined = string.Concat(peerUrls.Select(u => u.OriginalString.TrimEnd('/')).Order(StringComparer.Ordinal)) + clusterToken;
        return BinaryPrimitives.ReadUInt64BigEndian(SHA1.HashData(Encoding.UTF8.GetBytes(joined)));
    }

    /// <summary>sha1 of the sorted member IDs (8 bytes big-endian each), first 8 bytes.</summary>
    public static ulong ComputeClusterId(IEnumerable<ulong> memberIds)
    {
        var ids = memberIds.Order().ToArray();
        var bytes = new byte[ids.Length * 8];
        for (var i = 0; i < ids.Length; i++)
        {
            BinaryPrimitives.WriteUInt64BigEndian(bytes.AsSpan(i * 8), ids[i]);
        }

        return BinaryPrimitives.ReadUInt64BigEndian(SHA1.HashData(bytes));
    }
#pragma warning restore CA5350
}
