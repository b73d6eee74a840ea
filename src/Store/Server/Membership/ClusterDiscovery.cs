using System.Text.Json;
using MiniKube.Store.Consensus.Transport;
using MiniKube.Store.Server.Services;

namespace MiniKube.Store.Server.Membership;

/// <summary>
/// etcd's GetClusterFromRemotePeers and ValidateClusterAndAssignIDs, for a member started with
/// <c>--initial-cluster-state existing</c> and no data: the existing members are asked
/// (<c>GET /members</c> on their peer URLs) for the cluster ID and the members, and this member
/// finds itself among them by its peer URLs, taking the ID MemberAdd gave it.
/// </summary>
public static class ClusterDiscovery
{
    public static async Task<(ulong ClusterId, ulong MemberId, List<ClusterMember> Members)> JoinAsync(
        IReadOnlyList<Uri> ownPeerUrls, IEnumerable<Uri> otherPeerUrls, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var client = PeerHttpClient.Create(timeout);
        var errors = new List<string>();
        foreach (var url in otherPeerUrls)
        {
            try
            {
                using var response = await client.GetAsync(new Uri(url, PeerHeaders.MembersPath), cancellationToken).ConfigureAwait(false);
                response.EnsureSuccessStatusCode();
                if (!response.Headers.TryGetValues(PeerHeaders.ClusterId, out var values) || !PeerHeaders.TryParseId(values.FirstOrDefault(), out var clusterId))
                {
                    errors.Add($"{url}: no {PeerHeaders.ClusterId} in the answer");
                    continue;
                }

                var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
                using var document = JsonDocument.Parse(body);
                var members = document.RootElement.EnumerateArray().Select(e => ClusterMember.FromJson(System.Text.Encoding.UTF8.GetBytes(e.GetRawText()))).ToList();
                var own = ownPeerUrls.Select(ClusterService.Format).Order(StringComparer.Ordinal).ToList();
                var self = members.FirstOrDefault(m => m.PeerUrls.Order(StringComparer.Ordinal).SequenceEqual(own))
                    ?? throw new StoreStartException($"error validating peerURLs {{ClusterID:{clusterId:x} Members:[{string.Join(" ", members.Select(m => $"&{{ID:{m.Id:x} PeerURLs:[{string.Join(" ", m.PeerUrls)}]}}"))}]}}: unmatched member while checking PeerURLs (is this member added with etcdctl member add, and not removed?)");
                return (clusterId, self.Id, members);
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException or InvalidDataException)
            {
                errors.Add($"{url}: {e.Message}");
            }
        }

        throw new StoreStartException($"cannot fetch cluster info from peer urls: could not retrieve cluster information from the given URLs ({string.Join("; ", errors)})");
    }
}
