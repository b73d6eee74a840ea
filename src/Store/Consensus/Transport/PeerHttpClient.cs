using System.Net;

namespace MiniKube.Store.Consensus.Transport;

/// <summary>
/// Clients for one-off requests to a peer's listener (lease forwarding, promotion forwarding,
/// /members on joining): HTTP/2 without TLS by prior knowledge, as the peer listener speaks
/// nothing else, and a short connect timeout so that an unreachable peer URL is left quickly for
/// the next one. The Raft streams use <see cref="PeerTransport"/>'s own client, tuned for long-lived streams.
/// </summary>
public static class PeerHttpClient
{
    public static HttpClient Create(TimeSpan? timeout = null)
    {
        var client = new HttpClient(new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(1) })
        {
            DefaultRequestVersion = HttpVersion.Version20,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        if (timeout is { } limit)
        {
            client.Timeout = limit;
        }

        return client;
    }
}
