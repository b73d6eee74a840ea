using System.Net;
using Etcdserverpb;
using Google.Protobuf;
using MiniKube.Store.Consensus.Transport;
using MiniKube.Store.Lease;
using MiniKube.Store.Server.Http;

namespace MiniKube.Store.Server;

/// <summary>
/// Forwards lease renewals and TTL lookups to the leader's peer URL, as etcd's leasehttp does:
/// <c>POST /leases</c> with a protobuf LeaseKeepAliveRequest, <c>POST /leases/internal</c> with a
/// LeaseTimeToLiveRequest (etcd wraps that one in leasepb.LeaseInternalRequest; MiniKube's peers
/// speak only to each other, so the request goes bare).
/// </summary>
public sealed class PeerLeaseForwarder(Func<ulong, IReadOnlyList<Uri>> peerUrls) : ILeaseForwarder, IDisposable
{
    private readonly HttpClient _client = PeerHttpClient.Create();

    public async Task<long> RenewAsync(ulong leader, long id, CancellationToken cancellationToken)
    {
        var body = await PostAsync(leader, LeaseHttpEndpoints.KeepAlivePath, new LeaseKeepAliveRequest { ID = id }, cancellationToken).ConfigureAwait(false);
        return LeaseKeepAliveResponse.Parser.ParseFrom(body).TTL;
    }

    public async Task<LeaseTimeToLiveResponse> TimeToLiveAsync(ulong leader, LeaseTimeToLiveRequest request, CancellationToken cancellationToken)
    {
        var body = await PostAsync(leader, LeaseHttpEndpoints.TimeToLivePath, request, cancellationToken).ConfigureAwait(false);
        return LeaseTimeToLiveResponse.Parser.ParseFrom(body);
    }

    public void Dispose() => _client.Dispose();

    private async Task<byte[]> PostAsync(ulong leader, string path, IMessage request, CancellationToken cancellationToken)
    {
        HttpRequestException? last = null;
        foreach (var url in peerUrls(leader))
        {
            using var content = new ByteArrayContent(request.ToByteArray());
            content.Headers.ContentType = new(LeaseHttpEndpoints.ContentType);
            try
            {
                using var response = await _client.PostAsync(new Uri(url, path), content, cancellationToken).ConfigureAwait(false);
                var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
                if (response.StatusCode == HttpStatusCode.NotFound)
                {
                    throw new LeaseException(LeaseError.NotFound);
                }

                if (!response.IsSuccessStatusCode)
                {
                    throw new HttpRequestException($"{path} on {leader:x}: {(int)response.StatusCode} {System.Text.Encoding.UTF8.GetString(body)}", null, response.StatusCode);
                }

                return body;
            }
            catch (HttpRequestException e) when (e.StatusCode is null)
            {
                last = e; // unreachable on this URL: try the next
            }
        }

        throw last ?? new HttpRequestException($"no peer URL known for leader {leader:x}");
    }
}
