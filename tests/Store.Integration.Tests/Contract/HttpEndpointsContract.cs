using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using MiniKube.Grpc;
using MiniKube.Store.Integration.Tests.Infrastructure;
using MiniKube.Testing;

namespace MiniKube.Store.Integration.Tests.Contract;

/// <summary>
/// The plain HTTP/1.1 endpoints beside the gRPC API, on the client port and on
/// --listen-metrics-urls: /health, /version and /metrics with etcd's metric names, which is what
/// curl, kubelet probes and Prometheus use.
/// </summary>
public abstract partial class HttpEndpointsContract(HttpEndpointsFixture server) : IDisposable
{
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(15) };

    private EtcdApi Api => server.Api;

    public static TheoryData<string> Ports => ["client", "metrics"];

    private Uri Url(string port, string path) => new(port == "client" ? server.Server.ClientUrl : server.MetricsUrl, path);

    [Theory]
    [MemberData(nameof(Ports))]
    public async Task Health_is_true_over_HTTP_1_1(string port)
    {
        using var response = await _http.GetAsync(Url(port, "/health"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(new Version(1, 1), response.Version);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("true", body.RootElement.GetProperty("health").GetString());
    }

    [Fact]
    public async Task Version_names_the_server_and_the_cluster_version()
    {
        using var body = JsonDocument.Parse(await _http.GetStringAsync(Url("client", "/version")));

        Assert.StartsWith("3.4.", body.RootElement.GetProperty("etcdserver").GetString(), StringComparison.Ordinal);
        Assert.Equal("3.4.0", body.RootElement.GetProperty("etcdcluster").GetString());
    }

    [Fact]
    public async Task An_unknown_path_is_404_and_a_POST_to_health_is_405_allowing_GET()
    {
        using var unknown = await _http.GetAsync(Url("client", "/no/such/endpoint"));
        using var post = await _http.PostAsync(Url("client", "/health"), new StringContent(""));

        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, post.StatusCode);
        Assert.Equal(["GET"], post.Content.Headers.Allow);
    }

    [Theory]
    [MemberData(nameof(Ports))]
    public async Task Metrics_name_this_member_as_leader_with_etcds_names(string port)
    {
        var memberId = (await Api.StatusAsync()).Header.MemberId;

        var metrics = await ScrapeAsync(Url(port, "/metrics"));

        Assert.Equal(1, metrics["etcd_server_has_leader"]);
        Assert.Equal(1, metrics["etcd_server_is_leader"]);
        Assert.Equal(1, metrics[$"etcd_server_id{{server_id=\"{memberId:x}\"}}"]);
        Assert.Equal(1, metrics["etcd_cluster_version{cluster_version=\"3.4\"}"]);
        Assert.True(metrics["etcd_mvcc_db_total_size_in_bytes"] > 0);
        Assert.Equal(2L * 1024 * 1024 * 1024, metrics["etcd_server_quota_backend_bytes"]);
    }

    [Fact]
    public async Task A_put_shows_in_the_metrics_as_a_put_a_new_revision_and_an_fsync()
    {
        var url = Url("metrics", "/metrics");
        var before = await ScrapeAsync(url);

        var put = await Api.PutAsync("http-endpoints/metrics/" + Guid.NewGuid(), "v");
        var after = await ScrapeAsync(url);

        Assert.True(after["etcd_mvcc_put_total"] >= before["etcd_mvcc_put_total"] + 1);
        Assert.True(after["etcd_debugging_mvcc_current_revision"] >= put.Header.Revision);
        Assert.True(after["etcd_disk_wal_fsync_duration_seconds_count"] > before["etcd_disk_wal_fsync_duration_seconds_count"]);
        Assert.True(after["etcd_disk_wal_fsync_duration_seconds_bucket{le=\"+Inf\"}"] == after["etcd_disk_wal_fsync_duration_seconds_count"]);
    }

    [Fact]
    public async Task Every_gRPC_call_is_counted_by_method_type_and_code_as_grpc_go_counts_it()
    {
        const string Range = "grpc_method=\"Range\",grpc_service=\"etcdserverpb.KV\",grpc_type=\"unary\"";
        var url = Url("metrics", "/metrics");
        var before = await ScrapeAsync(url);

        await Api.GetAsync("http-endpoints/counted");
        await Assert.ThrowsAsync<RpcException>(() => Api.GetAsync("http-endpoints/counted", revision: 1_000_000));
        var after = await ScrapeAsync(url);

        double Delta(string series) => after.GetValueOrDefault(series) - before.GetValueOrDefault(series);
        Assert.Equal(2, Delta($"grpc_server_started_total{{{Range}}}"));
        Assert.Equal(1, Delta($"grpc_server_handled_total{{grpc_code=\"OK\",{Range}}}"));
        Assert.Equal(1, Delta($"grpc_server_handled_total{{grpc_code=\"OutOfRange\",{Range}}}"));
    }

    [Fact]
    public async Task The_client_port_keeps_serving_grpc_and_http_side_by_side()
    {
        var calls = Enumerable.Range(0, 20).Select(async i =>
        {
            if (i % 2 == 0)
            {
                await Api.PutAsync($"http-endpoints/side-by-side/{i}", "v");
            }
            else
            {
                using var response = await _http.GetAsync(Url("client", "/health"));
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            }
        });

        await Task.WhenAll(calls);

        Assert.Equal(10, (await Api.GetPrefixAsync("http-endpoints/side-by-side/")).Count);
    }

    /// <summary>Prometheus' text format: one sample a line, "name{labels} value", comments skipped.</summary>
    private async Task<Dictionary<string, double>> ScrapeAsync(Uri url)
    {
        using var response = await _http.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        var samples = new Dictionary<string, double>();
        foreach (var line in (await response.Content.ReadAsStringAsync()).Split('\n'))
        {
            var match = Sample().Match(line);
            if (match.Success)
            {
                samples[match.Groups["series"].Value] = double.Parse(match.Groups["value"].Value, CultureInfo.InvariantCulture);
            }
        }

        return samples;
    }

    [GeneratedRegex(@"^(?<series>[a-zA-Z_:][a-zA-Z0-9_:]*(\{[^}]*\})?) (?<value>\S+)")]
    private static partial Regex Sample();

    public void Dispose()
    {
        _http.Dispose();
        GC.SuppressFinalize(this);
    }
}

/// <summary>A server also listening on --listen-metrics-urls.</summary>
public abstract class HttpEndpointsFixture : ServerFixture
{
    private readonly int _metricsPort = FreePort.Pick();

    public Uri MetricsUrl => new($"http://127.0.0.1:{_metricsPort}");

    /// <summary>Without a trailing slash: etcd refuses a listen URL with a path.</summary>
    protected string[] MetricsFlags => ["--listen-metrics-urls", $"http://127.0.0.1:{_metricsPort}"];
}

public sealed class MiniKubeHttpEndpointsFixture : HttpEndpointsFixture
{
    protected override async Task<IEtcdServer> StartServerAsync() => await MiniKubeStore.StartAsync(MetricsFlags);
}

public sealed class EtcdHttpEndpointsFixture : HttpEndpointsFixture
{
    protected override async Task<IEtcdServer> StartServerAsync() => await RealEtcd.StartAsync(MetricsFlags);
}

public sealed class HttpEndpointsContractOnMiniKube(MiniKubeHttpEndpointsFixture server) : HttpEndpointsContract(server), IClassFixture<MiniKubeHttpEndpointsFixture>;

public sealed class HttpEndpointsContractOnEtcd(EtcdHttpEndpointsFixture server) : HttpEndpointsContract(server), IClassFixture<EtcdHttpEndpointsFixture>;
