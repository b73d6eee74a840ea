using System.Text.Json.Serialization;

namespace MiniKube.Store.Consensus.Transport;

/// <summary>A member as etcd's peer <c>GET /members</c> lists it (membership.Member's JSON).</summary>
public sealed record PeerMember(
    [property: JsonPropertyName("id")] ulong Id,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("peerURLs")] IReadOnlyList<string> PeerUrls,
    [property: JsonPropertyName("clientURLs")] IReadOnlyList<string> ClientUrls,
    [property: JsonPropertyName("isLearner")] bool IsLearner = false);
