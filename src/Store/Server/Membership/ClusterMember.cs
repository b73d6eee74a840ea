using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace MiniKube.Store.Server.Membership;

/// <summary>
/// A member of the cluster as the replicated registry holds it (etcd's membership.Member): its
/// raft attributes (peer URLs, learner or voter), set by conf changes, and the attributes it
/// publishes once started (name, client URLs). An empty <see cref="Name"/> means not started yet.
/// </summary>
public sealed record ClusterMember(ulong Id, string Name, IReadOnlyList<string> PeerUrls, IReadOnlyList<string> ClientUrls, bool IsLearner)
{
    public bool IsStarted => Name.Length > 0;

    /// <summary>
    /// etcd's NewMember ID for a member added at run time: sha1(sorted peer URLs ‖ cluster name ‖
    /// unix seconds), first 8 bytes big-endian. The time makes a member re-added under the same
    /// URLs a new member.
    /// </summary>
    public static ulong NewMemberId(IEnumerable<string> peerUrls, DateTimeOffset now)
    {
        var joined = string.Concat(peerUrls.Order(StringComparer.Ordinal)) + now.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        // SHA-1 names members the way etcd does; nothing depends on it resisting collisions.
#pragma warning disable CA5350
        return System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(SHA1.HashData(Encoding.UTF8.GetBytes(joined)));
#pragma warning restore CA5350
    }

    /// <summary>
    /// etcd's Member JSON (its backend's members bucket, a conf change's context): empty fields
    /// omitted. <paramref name="isPromote"/> marks a promotion's context (etcd's ConfigChangeContext).
    /// </summary>
    public byte[] ToJson(bool isPromote = false)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteNumber("id", Id);
            json.WriteStartArray("peerURLs");
            foreach (var url in PeerUrls)
            {
                json.WriteStringValue(url);
            }

            json.WriteEndArray();
            if (IsLearner)
            {
                json.WriteBoolean("isLearner", true);
            }

            if (Name.Length > 0)
            {
                json.WriteString("name", Name);
            }

            if (ClientUrls.Count > 0)
            {
                json.WriteStartArray("clientURLs");
                foreach (var url in ClientUrls)
                {
                    json.WriteStringValue(url);
                }

                json.WriteEndArray();
            }

            if (isPromote)
            {
                json.WriteBoolean("isPromote", true);
            }

            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <summary>Whether a conf change's context marks a promotion.</summary>
    public static bool IsPromoteContext(ReadOnlySpan<byte> utf8)
    {
        try
        {
            using var document = JsonDocument.Parse(utf8.ToArray());
            return document.RootElement.TryGetProperty("isPromote", out var promote) && promote.ValueKind == JsonValueKind.True;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    public static ClusterMember FromJson(ReadOnlySpan<byte> utf8)
    {
        try
        {
            using var document = JsonDocument.Parse(utf8.ToArray());
            var root = document.RootElement;
            return new ClusterMember(
                root.GetProperty("id").GetUInt64(),
                root.TryGetProperty("name", out var name) && name.ValueKind == JsonValueKind.String ? name.GetString()! : "",
                Strings(root, "peerURLs"),
                Strings(root, "clientURLs"),
                root.TryGetProperty("isLearner", out var learner) && learner.ValueKind == JsonValueKind.True);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new InvalidDataException($"not an etcd member: {e.Message}", e);
        }
    }

    public Etcdserverpb.Member ToProto() => new()
    {
        ID = Id,
        Name = Name,
        PeerURLs = { PeerUrls },
        ClientURLs = { ClientUrls },
        IsLearner = IsLearner,
    };

    private static string[] Strings(JsonElement root, string property) =>
        root.TryGetProperty(property, out var array) && array.ValueKind == JsonValueKind.Array
            ? [.. array.EnumerateArray().Select(e => e.GetString() ?? "")]
            : [];
}
