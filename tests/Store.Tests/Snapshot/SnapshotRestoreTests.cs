using System.Security.Cryptography;
using Google.Protobuf;
using MiniKube.Store.Server;
using MiniKube.Store.Snapshot;

namespace MiniKube.Store.Tests.Snapshot;

/// <summary>
/// The checks of a restore, before and after it touches the disk, with etcdctl 3.4's messages,
/// and the new cluster identity, compared with what etcdctl 3.4 computed for the same flags.
/// </summary>
public sealed class SnapshotRestoreTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Identity_of_a_three_member_cluster_is_the_one_etcdctl_computes()
    {
        // etcdctl 3.4.23 snapshot restore --initial-cluster a=http://10.0.0.1:2380,default=http://localhost:2380,b=http://10.0.0.2:2380
        // logged cluster-id 4a4c22bd385c7b42 and members 8e9e05c52164694d (default), ee274cacce804b21 (b).
        var members = SnapshotRestore.ParseInitialCluster("a=http://10.0.0.1:2380,default=http://localhost:2380,b=http://10.0.0.2:2380", "etcd-cluster");

        Assert.Equal(["a", "default", "b"], members.Select(m => m.Name));
        Assert.Equal(0x8e9e05c52164694dUL, members[1].Id);
        Assert.Equal(0xee274cacce804b21UL, members[2].Id);
        Assert.Equal(0x4a4c22bd385c7b42UL, ClusterIdentity.ComputeClusterId(members.Select(m => m.Id)));
    }

    [Fact]
    public void Name_missing_from_the_initial_cluster_is_refused_as_etcdctl_refuses_it()
    {
        var e = Assert.Throws<ArgumentException>(() => SnapshotRestore.Run(Options(SnapshotFile()) with { Name = "x" }));

        Assert.Equal("couldn't find local name \"x\" in the initial cluster configuration", e.Message);
    }

    [Fact]
    public void Advertised_peer_urls_that_differ_from_the_initial_cluster_are_refused_as_etcdctl_refuses_them()
    {
        var e = Assert.Throws<ArgumentException>(() => SnapshotRestore.Run(Options(SnapshotFile()) with { InitialAdvertisePeerUrls = [new Uri("http://10.0.0.1:2380")] }));

        Assert.Equal("--initial-cluster has default=http://localhost:2380 but missing from --initial-advertise-peer-urls=http://10.0.0.1:2380 (resolved urls: \"http://10.0.0.1:2380\" != \"http://localhost:2380\")", e.Message);
    }

    [Fact]
    public void Existing_data_dir_with_files_in_it_is_refused_and_left_alone()
    {
        var dataDir = Path.Combine(_dir.Path, "data");
        Directory.CreateDirectory(dataDir);
        File.WriteAllText(Path.Combine(dataDir, "keep"), "mine");

        var e = Assert.Throws<InvalidOperationException>(() => SnapshotRestore.Run(Options(SnapshotFile()) with { DataDir = dataDir }));

        Assert.Equal($"data-dir \"{dataDir}\" exists", e.Message);
        Assert.Equal(["keep"], Directory.EnumerateFileSystemEntries(dataDir).Select(Path.GetFileName));
    }

    [Fact]
    public void Missing_hash_is_refused_unless_the_check_is_skipped()
    {
        var file = SnapshotFile(withHash: false);

        var e = Assert.Throws<InvalidDataException>(() => SnapshotRestore.Run(Options(file)));
        Assert.False(Directory.Exists(Options(file).ResolvedDataDir));
        var result = SnapshotRestore.Run(Options(file) with { SkipHashCheck = true });

        Assert.Equal("snapshot missing hash but --skip-hash-check=false", e.Message);
        Assert.Equal((2, 1), (result.Data.Revision, result.Data.Keys));
        Assert.True(Directory.Exists(Path.Combine(result.DataDir, "db")));
    }

    [Fact]
    public void Hash_mismatch_is_refused_with_both_hashes_and_no_data_dir_is_left()
    {
        var file = SnapshotFile();
        var bytes = File.ReadAllBytes(file);
        bytes[5000] ^= 0x01;
        File.WriteAllBytes(file, bytes);

        var e = Assert.Throws<InvalidDataException>(() => SnapshotRestore.Run(Options(file)));

        Assert.Matches(@"^expected sha256 \[(\d+ ){31}\d+\], got \[(\d+ ){31}\d+\]$", e.Message);
        Assert.False(Directory.Exists(Options(file).ResolvedDataDir));
    }

    [Fact]
    public void Truncated_snapshot_with_its_hash_check_skipped_is_refused_as_truncated()
    {
        var file = SnapshotFile(withHash: false);
        var bytes = File.ReadAllBytes(file);
        File.WriteAllBytes(file, bytes[..(bytes.Length - 4096 - 100)]);

        var e = Assert.Throws<InvalidDataException>(() => SnapshotRestore.Run(Options(file) with { SkipHashCheck = true }));

        Assert.StartsWith("the database is truncated", e.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Options(file).ResolvedDataDir));
    }

    private SnapshotRestoreOptions Options(string file) => new() { SnapshotPath = file, DataDir = Path.Combine(_dir.Path, "never") };

    /// <summary>A small etcd snapshot: one key at revision 2.</summary>
    private string SnapshotFile(bool withHash = true)
    {
        using var output = new MemoryStream();
        var writer = new BoltFileWriter(output);
        writer.BeginBucket("key"u8);
        var revision = new byte[17];
        revision[7] = 2;
        revision[8] = (byte)'_';
        writer.Add(revision, new Mvccpb.KeyValue { Key = ByteString.CopyFromUtf8("/a"), Value = ByteString.CopyFromUtf8("1"), CreateRevision = 2, ModRevision = 2, Version = 1 }.ToByteArray());
        writer.EndBucket();
        writer.BeginBucket("meta"u8);
        writer.EndBucket();
        writer.Finish();
        var database = output.ToArray();
        var path = Path.Combine(_dir.Path, $"snapshot-{Guid.NewGuid():N}.db");
        File.WriteAllBytes(path, withHash ? [.. database, .. SHA256.HashData(database)] : database);
        return path;
    }
}
