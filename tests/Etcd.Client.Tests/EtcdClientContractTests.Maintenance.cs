using System.Security.Cryptography;

namespace MiniKube.Etcd.Client.Tests;

/// <summary>Maintenance and cluster: status, hashes, snapshots, members.</summary>
public abstract partial class EtcdClientContractTests<TFixture>
{
    [Fact]
    public async Task Status_hash_and_members_describe_the_member()
    {
        await using var client = NewClient();
        var revision = (await client.PutAsync(NewPrefix("status") + "k", "v")).Header.Revision;

        var status = await client.Maintenance.StatusAsync(Server.ClientUrl);
        var hash1 = await client.Maintenance.HashKVAsync(Server.ClientUrl, revision);
        var hash2 = await client.Maintenance.HashKVAsync(Server.ClientUrl, revision);
        var members = await client.Cluster.MemberListAsync();
        var alarms = await client.Maintenance.AlarmListAsync();

        Assert.True(status.Header.Revision >= revision);
        Assert.StartsWith("3.4", status.Version, StringComparison.Ordinal);
        Assert.True(status.DbSize > 0);
        Assert.Equal(status.Header.MemberId, status.Leader);
        Assert.True(status.RaftTerm > 0 && status.RaftIndex > 0);
        Assert.Equal(hash1.Hash, hash2.Hash);
        var member = Assert.Single(members.Members);
        Assert.Equal(status.Header.MemberId, member.ID);
        Assert.Contains(member.ClientURLs, u => new Uri(u).Port == Server.ClientUrl.Port);
        Assert.Empty(alarms.Alarms);
    }

    [Fact]
    public async Task A_snapshot_streams_whole_and_carries_its_verified_sha256()
    {
        await using var client = NewClient();
        await client.PutAsync(NewPrefix("snapshot") + "k", "v");
        using var file = new MemoryStream();

        var snapshot = await client.Maintenance.SnapshotAsync(file);

        var bytes = file.ToArray();
        Assert.Equal(bytes.Length, snapshot.Size);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes.AsSpan(0, bytes.Length - 32))), snapshot.Sha256);
        Assert.Equal(snapshot.Sha256, Convert.ToHexStringLower(bytes.AsSpan(bytes.Length - 32)));
    }
}
