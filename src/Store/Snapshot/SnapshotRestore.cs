using System.Buffers.Binary;
using MiniKube.Raft.Pb;
using MiniKube.Store.Backend;
using MiniKube.Store.Consensus;
using MiniKube.Store.Mvcc;
using MiniKube.Store.Server;

namespace MiniKube.Store.Snapshot;

/// <summary>
/// <c>etcdctl snapshot restore</c> for MiniKube: a snapshot file (MiniKube's or etcd 3.4's)
/// becomes the data directory of the first member of a new cluster, one that a store member
/// starts from (<c>db/</c>, see <see cref="StoreMember"/>). The checks and their order, the
/// messages and the new identity are etcdctl 3.4's (snapshot/v3_snapshot.go).
/// </summary>
/// <remarks>
/// A restored member must not rejoin its old cluster, so it gets a new identity, computed from
/// the initial cluster as etcd computes it, and a Raft log that starts with the whole initial
/// cluster as its voters (<see cref="WriteMemberMetadata"/>): every member restored from the same
/// file with the same --initial-cluster starts as a member of one new cluster.
/// </remarks>
public static class SnapshotRestore
{
    public static SnapshotRestoreResult Run(SnapshotRestoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var members = ParseInitialCluster(options.InitialCluster, options.InitialClusterToken);
        var member = VerifyBootstrap(options, members);
        var clusterId = ClusterIdentity.ComputeClusterId(members.Select(m => m.Id));
        var dataDir = options.ResolvedDataDir;

        // etcdctl 3.4 refuses any existing directory; an empty one is allowed here (a mounted volume).
        if (Directory.Exists(dataDir) && Directory.EnumerateFileSystemEntries(dataDir).Any() || File.Exists(dataDir))
        {
            throw new InvalidOperationException($"data-dir \"{dataDir}\" exists");
        }

        var database = EtcdSnapshotFile.ReadDatabase(options.SnapshotPath, options.SkipHashCheck);
        var bolt = BoltFileReader.Open(database);
        bolt.Check();
        var status = EtcdSnapshotReader.Status(bolt);

        var created = !Directory.Exists(dataDir);
        try
        {
            RestoredData data;
            using (var backend = RocksDbBackend.Open(Path.Combine(dataDir, StoreMember.DatabaseDirectoryName)))
            {
                data = EtcdSnapshotReader.Restore(bolt, backend);
                WriteMemberMetadata(backend, clusterId, member, members);
            }

            return new SnapshotRestoreResult(dataDir, clusterId, member, members, data, status);
        }
        catch
        {
            // Half a data directory would start as a store with half the data.
            if (created)
            {
                Directory.Delete(dataDir, recursive: true);
            }
            else
            {
                Directory.Delete(Path.Combine(dataDir, StoreMember.DatabaseDirectoryName), recursive: true);
            }

            throw;
        }
    }

    /// <summary>
    /// Writes who the restored member is: its IDs, the applied index a fresh cluster starts from
    /// (etcdctl sets the consistent index to the number of members: its new Raft log begins with
    /// one configuration entry per member), and that Raft log itself, in the same backend: a
    /// snapshot at that index whose configuration holds every member as a voter, and a hard state
    /// of term 1 committed to it (etcd's restore writes the configuration entries and a snapshot
    /// covering them; the snapshot alone says the same).
    /// </summary>
    public static void WriteMemberMetadata(IBackend backend, ulong clusterId, RestoredMember member, IReadOnlyList<RestoredMember> members)
    {
        ArgumentNullException.ThrowIfNull(backend);
        ArgumentNullException.ThrowIfNull(member);
        ArgumentNullException.ThrowIfNull(members);
        using var batch = backend.CreateBatch();
        Span<byte> buffer = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(buffer, member.Id);
        batch.Put(BackendTable.Meta, MetaKeys.MemberId, buffer);
        BinaryPrimitives.WriteUInt64BigEndian(buffer, clusterId);
        batch.Put(BackendTable.Meta, MetaKeys.ClusterId, buffer);
        MetaKeys.WriteLong(batch, MetaKeys.AppliedIndex, members.Count);
        backend.Write(batch);
        backend.Sync();
        RaftLogStorage.Open(backend, new ConfState { Voters = { members.Select(m => m.Id) } }, (ulong)members.Count);
    }

    /// <summary>"n1=http://a:2380,n1=http://b:2380,n2=…": each name's URLs, members in order of first appearance.</summary>
    public static IReadOnlyList<RestoredMember> ParseInitialCluster(string initialCluster, string token)
    {
        ArgumentNullException.ThrowIfNull(initialCluster);
        var urls = new Dictionary<string, List<Uri>>(StringComparer.Ordinal);
        foreach (var part in initialCluster.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var equals = part.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new ArgumentException($"--initial-cluster: \"{part}\" is not name=peerURL");
            }

            var name = part[..equals];
            var url = ParsePeerUrl(part[(equals + 1)..], "--initial-cluster");
            if (!urls.TryGetValue(name, out var list))
            {
                urls[name] = list = [];
            }

            list.Add(url);
        }

        if (urls.Count == 0)
        {
            throw new ArgumentException("--initial-cluster names no member");
        }

        return [.. urls.Select(m => new RestoredMember(m.Key, ClusterIdentity.ComputeMemberId(m.Value, token), m.Value))];
    }

    public static Uri ParsePeerUrl(string text, string flag) =>
        Uri.TryCreate(text, UriKind.Absolute, out var url) && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps) && !url.IsDefaultPort && url.AbsolutePath == "/"
            ? url
            : throw new ArgumentException($"{flag}: URL \"{text}\" must be http(s)://host:port");

    /// <summary>etcd's ServerConfig.VerifyBootstrap, as far as a restore checks it.</summary>
    private static RestoredMember VerifyBootstrap(SnapshotRestoreOptions options, IReadOnlyList<RestoredMember> members)
    {
        var member = members.FirstOrDefault(m => m.Name == options.Name)
            ?? throw new ArgumentException($"couldn't find local name \"{options.Name}\" in the initial cluster configuration");
        var cluster = string.Join(",", member.PeerUrls.Select(Text).Order(StringComparer.Ordinal));
        var advertised = string.Join(",", options.InitialAdvertisePeerUrls.Select(Text).Order(StringComparer.Ordinal));
        if (cluster != advertised)
        {
            throw new ArgumentException($"--initial-cluster has {member.Name}={string.Join(",", member.PeerUrls.Select(Text))} but missing from --initial-advertise-peer-urls={string.Join(",", options.InitialAdvertisePeerUrls.Select(Text))} (resolved urls: \"{advertised}\" != \"{cluster}\")");
        }

        return member;
    }

    private static string Text(Uri url) => url.OriginalString.TrimEnd('/');
}
