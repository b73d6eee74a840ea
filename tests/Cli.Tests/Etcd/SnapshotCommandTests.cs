using System.Text.RegularExpressions;
using MiniKube.Etcd.Client;
using MiniKube.Store.Server;
using MiniKube.Testing;

namespace MiniKube.Cli.Tests.Etcd;

/// <summary>
/// <c>mkctl etcd snapshot save|status|restore</c>: the files are etcd's (etcdctl reads what save
/// writes and prints the same status), and a bad file or a used data directory fails with
/// etcdctl's message and exit code 1, leaving nothing behind.
/// </summary>
public sealed class SnapshotCommandTests(EtcdStoreFixture fixture) : IClassFixture<EtcdStoreFixture>, IDisposable
{
    private static readonly Dictionary<string, string> EtcdctlEnvironment = new() { ["ETCDCTL_API"] = "3" };
    private readonly string _dir = TestDirectories.Create("mkctl-snapshot");

    private Uri Endpoint => fixture.Store.ClientUrl;

    public void Dispose() => TestDirectories.Delete(_dir);

    [Fact]
    public async Task Save_writes_a_snapshot_whose_status_mkctl_prints_as_etcdctl_does()
    {
        await using (var client = new EtcdClient(new EtcdClientOptions { Endpoints = [Endpoint] }))
        {
            await client.PutAsync("/snapshot/a", "1");
            await client.PutAsync("/snapshot/b", "2");
        }

        var file = Path.Combine(_dir, "backup.db");
        var save = await Mkctl.EtcdAsync(Endpoint, "snapshot", "save", file);

        Assert.True(save.ExitCode == 0, save.ToString());
        Assert.Matches($"^Snapshot saved at {Regex.Escape(file)} \\(.+, sha256 [0-9a-f]{{64}}\\)\n$", save.Output.ReplaceLineEndings("\n"));
        Assert.False(File.Exists(file + ".part"));
        // The table's columns are as wide as their values (a hash with a leading zero nibble is one
        // digit shorter), so it is compared with etcdctl's own rather than with a fixed header.
        foreach (var format in new[] { "json", "simple", "table" })
        {
            var etcdctl = await ProcessRunner.RunAsync("/usr/bin/etcdctl", ["snapshot", "status", file, "-w", format], environment: EtcdctlEnvironment);
            var mkctl = await Mkctl.EtcdAsync(Endpoint, "snapshot", "status", file, "-w", format);
            Assert.True(etcdctl.ExitCode == 0, etcdctl.ToString());
            Assert.True(mkctl.ExitCode == 0, mkctl.ToString());
            Assert.Equal(etcdctl.StandardOutput, mkctl.Output);
        }

        var table = await Mkctl.EtcdAsync(Endpoint, "snapshot", "status", file, "-w", "table");
        Assert.Matches(@"\|\s+HASH\s+\|\s+REVISION\s+\|\s+TOTAL KEYS\s+\|\s+TOTAL SIZE\s+\|", table.Output);
    }

    [Fact]
    public async Task Restore_prints_the_new_member_and_cluster_and_writes_the_data_dir()
    {
        var file = await SaveAsync();
        var dataDir = Path.Combine(_dir, "restored");

        var result = await Mkctl.EtcdAsync(Endpoint, "snapshot", "restore", file, "--data-dir", dataDir, "--name", "m1",
            "--initial-cluster", "m1=http://127.0.0.1:12380,m2=http://127.0.0.1:22380", "--initial-advertise-peer-urls", "http://127.0.0.1:12380", "--initial-cluster-token", "t");

        var m1 = ClusterIdentity.ComputeMemberId([new Uri("http://127.0.0.1:12380")], "t");
        var m2 = ClusterIdentity.ComputeMemberId([new Uri("http://127.0.0.1:22380")], "t");
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains($"restored snapshot {file} into {dataDir}", result.Output, StringComparison.Ordinal);
        Assert.Contains($"  member    m1 {m1:x16} (peer URLs http://127.0.0.1:12380), a new identity", result.Output, StringComparison.Ordinal);
        Assert.Contains($"  cluster   {ClusterIdentity.ComputeClusterId([m1, m2]):x16} of 2 member(s): m1 {m1:x16}, m2 {m2:x16}; token t", result.Output, StringComparison.Ordinal);
        Assert.True(Directory.Exists(Path.Combine(dataDir, "db")));
    }

    [Fact]
    public async Task Restore_into_a_data_dir_in_use_fails_with_etcdctls_message()
    {
        var file = await SaveAsync();
        var dataDir = Path.Combine(_dir, "used");
        Directory.CreateDirectory(dataDir);
        await File.WriteAllTextAsync(Path.Combine(dataDir, "member"), "");

        var result = await Mkctl.EtcdAsync(Endpoint, "snapshot", "restore", file, "--data-dir", dataDir);

        Assert.Equal((1, $"Error: data-dir \"{dataDir}\" exists\n"), (result.ExitCode, result.Error.ReplaceLineEndings("\n")));
    }

    [Theory]
    [InlineData("changed byte", false, "^Error: expected sha256 \\[[0-9 ]+\\], got \\[[0-9 ]+\\]\n$")]
    [InlineData("no hash", false, "^Error: snapshot missing hash but --skip-hash-check=false\n$")]
    [InlineData("truncated", false, "^Error: snapshot missing hash but --skip-hash-check=false\n$")]
    [InlineData("truncated", true, "^Error: the database is truncated: \\d+ bytes, but its meta page says \\d+ pages")]
    [InlineData("zeroed meta pages", true, "^Error: not a valid bbolt database: meta page 0: invalid database \\(bad magic\\); meta page 1: invalid database \\(bad magic\\)\n$")]
    public async Task Restore_of_a_damaged_file_fails_with_a_clear_error_and_leaves_no_data_dir(string damage, bool skipHashCheck, string error)
    {
        var file = await SaveAsync();
        var bytes = await File.ReadAllBytesAsync(file);
        bytes = damage switch
        {
            "changed byte" => Flip(bytes, 4096 * 2 + 100),
            "no hash" => bytes[..^32],
            "truncated" => bytes[..(bytes.Length / 2)],
            _ => [.. new byte[8192], .. bytes[8192..]],
        };
        await File.WriteAllBytesAsync(file, bytes);
        var dataDir = Path.Combine(_dir, "never");
        string[] args = ["snapshot", "restore", file, "--data-dir", dataDir, .. skipHashCheck ? new[] { "--skip-hash-check" } : []];

        var result = await Mkctl.EtcdAsync(Endpoint, args);

        Assert.True(result.ExitCode == 1 && Regex.IsMatch(result.Error.ReplaceLineEndings("\n"), error), $"{damage}: {result}");
        Assert.False(Directory.Exists(dataDir), $"{damage}: the data dir was left behind");
    }

    [Fact]
    public async Task Status_of_a_truncated_file_fails_with_a_clear_error()
    {
        var file = await SaveAsync();
        var bytes = await File.ReadAllBytesAsync(file);
        await File.WriteAllBytesAsync(file, bytes[..(bytes.Length / 2)]);

        var result = await Mkctl.EtcdAsync(Endpoint, "snapshot", "status", file);

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("Error: the database is truncated", result.Error, StringComparison.Ordinal);
    }

    private async Task<string> SaveAsync()
    {
        var file = Path.Combine(_dir, $"{Guid.NewGuid():N}.db");
        var save = await Mkctl.EtcdAsync(Endpoint, "snapshot", "save", file);
        Assert.True(save.ExitCode == 0, save.ToString());
        return file;
    }

    private static byte[] Flip(byte[] bytes, int at)
    {
        bytes[at] ^= 0x01;
        return bytes;
    }
}
