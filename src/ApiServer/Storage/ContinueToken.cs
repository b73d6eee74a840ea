using System.Buffers.Text;
using System.Text;
using System.Text.Json;

namespace MiniKube.ApiServer.Storage;

/// <summary>
/// The opaque continue token of a paged list, in Kubernetes' own format so tokens look the same:
/// base64url (no padding) of <c>{"v":"meta.k8s.io/v1","rv":REV,"start":"KEY\u0000"}</c>, where
/// KEY is the last key returned, relative to the list's prefix, and REV the revision every page
/// of the list is read at.
/// </summary>
public readonly record struct ContinueToken(long ResourceVersion, string StartKey)
{
    private const string Version = "meta.k8s.io/v1";

    public string Encode()
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object> { ["v"] = Version, ["rv"] = ResourceVersion, ["start"] = StartKey });
        return Base64Url.EncodeToString(json);
    }

    public static bool TryDecode(string token, out ContinueToken decoded)
    {
        decoded = default;
        try
        {
            using var json = JsonDocument.Parse(Base64Url.DecodeFromChars(token));
            var root = json.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("v", out var v) || v.GetString() != Version
                || !root.TryGetProperty("rv", out var rv) || !rv.TryGetInt64(out var revision) || revision <= 0
                || !root.TryGetProperty("start", out var start) || start.GetString() is not { Length: > 0 } startKey
                || startKey.StartsWith('/') || startKey.Contains("..", StringComparison.Ordinal))
            {
                return false;
            }

            decoded = new ContinueToken(revision, startKey);
            return true;
        }
        catch (Exception e) when (e is FormatException or JsonException or InvalidOperationException or DecoderFallbackException)
        {
            return false;
        }
    }
}
