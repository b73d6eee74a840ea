using System.Text.Json.Nodes;
using MiniKube.Api.Resources;
using MiniKube.Client;
using MiniKube.Client.Config;
using MiniKube.Etcd.Client;

namespace MiniKube.Cli.Cluster;

/// <summary>The health checks of <c>mkctl up</c> and <c>mkctl status</c>: a store member's /health, the apiserver's
/// /readyz, the nodes' Ready condition, and which store member leads.</summary>
public sealed class ClusterProbes : IDisposable
{
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(3) };

    /// <summary>etcd's /health answers {"health":"true"} when the member has a leader and serves.</summary>
    public async Task<bool> StoreHealthyAsync(Uri clientUrl, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await _http.GetAsync(new Uri(clientUrl, "/health"), cancellationToken).ConfigureAwait(false);
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            return response.IsSuccessStatusCode && JsonNode.Parse(body)?["health"]?.GetValue<string>() == "true";
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or System.Text.Json.JsonException or InvalidOperationException)
        {
            return false;
        }
    }

    public async Task<bool> ApiServerReadyAsync(Uri server, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await _http.GetAsync(new Uri(server, "/readyz"), cancellationToken).ConfigureAwait(false);
            return response.IsSuccessStatusCode;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }

    /// <summary>How many nodes whose name starts with <paramref name="prefix"/> are Ready=True; null if the apiserver
    /// does not answer.</summary>
    public static async Task<int?> ReadyNodesAsync(Uri server, string prefix, CancellationToken cancellationToken)
    {
        try
        {
            using var client = new KubeClient(new ClientConfig { Server = server, RequestTimeout = TimeSpan.FromSeconds(5) });
            var list = await client.ListAsync(ApiResources.Nodes, null, null, cancellationToken).ConfigureAwait(false);
            return (list["items"] as JsonArray ?? []).OfType<JsonObject>().Count(node =>
                ((string?)node["metadata"]?["name"] ?? "").StartsWith(prefix, StringComparison.Ordinal)
                && (node["status"]?["conditions"] as JsonArray ?? []).OfType<JsonObject>()
                    .Any(c => (string?)c["type"] == "Ready" && (string?)c["status"] == "True"));
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or KubeApiException)
        {
            return null;
        }
    }

    /// <summary>The names of the members that say they lead (one, in a healthy cluster).</summary>
    public static async Task<IReadOnlyList<string>> StoreLeadersAsync(IEnumerable<ComponentState> members, CancellationToken cancellationToken)
    {
        var leaders = new List<string>();
        foreach (var member in members)
        {
            try
            {
                await using var client = new EtcdClient(new EtcdClientOptions
                {
                    Endpoints = [member.ClientUrl!],
                    DialTimeout = TimeSpan.FromSeconds(3),
                    DefaultRequestTimeout = TimeSpan.FromSeconds(5),
                });
                var status = await client.Maintenance.StatusAsync(member.ClientUrl!, cancellationToken).ConfigureAwait(false);
                if (status.Leader != 0 && status.Leader == status.Header.MemberId)
                {
                    leaders.Add(member.Name);
                }
            }
            catch (Exception e) when (e is EtcdException or HttpRequestException or TimeoutException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
            {
                // a member that does not answer leads nothing
            }
        }

        return leaders;
    }

    public void Dispose() => _http.Dispose();
}
