using System.Text.Json;
using Etcdserverpb;
using MiniKube.Grpc.Tests.Infrastructure;

namespace MiniKube.Grpc.Tests;

/// <summary>
/// etcdctl 3.4 sends the endpoint URL ("http://127.0.0.1:PORT") as the HTTP/2 :authority for
/// Maintenance calls made per endpoint (endpoint status, endpoint hashkv, defrag); Kestrel resets
/// such streams unless the connection middleware rewrites the authority first.
/// </summary>
public sealed class EtcdctlTests
{
    private static readonly ResponseHeader Header = new() { ClusterId = 11, MemberId = 22, Revision = 33, RaftTerm = 4 };

    private static void RegisterMaintenance(GrpcServiceRegistry registry)
    {
        registry.AddUnary("etcdserverpb.Maintenance", "Status", StatusRequest.Parser, (_, _) => Task.FromResult(new StatusResponse
        {
            Header = Header,
            Version = "3.4.0",
            DbSize = 4096,
            Leader = 22,
            RaftIndex = 55,
            RaftTerm = 4,
        }));
        registry.AddUnary("etcdserverpb.Maintenance", "HashKV", HashKVRequest.Parser, (_, _) => Task.FromResult(new HashKVResponse { Header = Header, Hash = 1234, CompactRevision = 1 }));
        registry.AddUnary("etcdserverpb.Maintenance", "Defragment", DefragmentRequest.Parser, (_, _) => Task.FromResult(new DefragmentResponse { Header = Header }));
    }

    [Fact]
    public async Task Endpoint_status_succeeds_with_the_authority_normalization()
    {
        await using var server = await TestServer.StartGrpcAsync(RegisterMaintenance, normalizeAuthority: true);

        var (exitCode, output, error) = await Etcdctl.RunAsync($"--endpoints=http://127.0.0.1:{server.Port}", "--dial-timeout=3s", "--command-timeout=5s", "endpoint", "status", "-w", "json");

        Assert.True(exitCode == 0, error);
        using var json = JsonDocument.Parse(output);
        var status = json.RootElement[0].GetProperty("Status");
        Assert.Equal($"http://127.0.0.1:{server.Port}", json.RootElement[0].GetProperty("Endpoint").GetString());
        Assert.Equal("3.4.0", status.GetProperty("version").GetString());
        Assert.Equal(22UL, status.GetProperty("header").GetProperty("member_id").GetUInt64());
        Assert.Equal(55UL, status.GetProperty("raftIndex").GetUInt64());
    }

    [Theory]
    [InlineData("endpoint hashkv", "1234")]
    [InlineData("defrag", "Finished defragmenting etcd member")]
    public async Task Other_per_endpoint_maintenance_calls_succeed_with_the_normalization(string command, string expected)
    {
        await using var server = await TestServer.StartGrpcAsync(RegisterMaintenance, normalizeAuthority: true);

        var (exitCode, output, error) = await Etcdctl.RunAsync([$"--endpoints=http://127.0.0.1:{server.Port}", "--dial-timeout=3s", "--command-timeout=5s", .. command.Split(' ')]);

        Assert.True(exitCode == 0, error);
        Assert.Contains(expected, output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Endpoint_status_fails_without_the_authority_normalization()
    {
        await using var server = await TestServer.StartGrpcAsync(RegisterMaintenance, normalizeAuthority: false);

        var (exitCode, _, error) = await Etcdctl.RunAsync($"--endpoints=http://127.0.0.1:{server.Port}", "--dial-timeout=3s", "--command-timeout=5s", "endpoint", "status", "-w", "json");

        Assert.NotEqual(0, exitCode);
        Assert.Contains("PROTOCOL_ERROR", error, StringComparison.Ordinal);
    }
}
