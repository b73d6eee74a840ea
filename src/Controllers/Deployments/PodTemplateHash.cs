using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using MiniKube.Api.Core;
using MiniKube.Api.Serialization;

namespace MiniKube.Controllers.Deployments;

/// <summary>
/// The <c>pod-template-hash</c> of Kubernetes' controller.ComputeHash: FNV-32a over the pod template and the
/// Deployment's collisionCount, rendered with rand.SafeEncodeString. Kubernetes feeds the hash a spew dump of
/// the Go struct; we feed it the template's JSON with object keys sorted, so equal templates hash equally
/// whatever order their maps were written in (the value differs from Kubernetes', its stability does not).
/// </summary>
public static class PodTemplateHash
{
    /// <summary>The label the deployment controller adds to a ReplicaSet's selector, template and labels.</summary>
    public const string LabelKey = "pod-template-hash";

    // rand.SafeEncodeString's alphabet: no vowels (no bad words) and no 0/1/3 (no confusion with letters).
    private const string Alphanums = "bcdfghjklmnpqrstvwxz2456789";

    private const uint FnvOffsetBasis = 2166136261;
    private const uint FnvPrime = 16777619;

    public static string Compute(PodTemplateSpec? template, int? collisionCount)
    {
        var hash = FnvOffsetBasis;
        hash = Fnv32a(hash, Encoding.UTF8.GetBytes(Canonical(template is null ? null : ApiJson.ToNode(template))?.ToJsonString() ?? "null"));
        if (collisionCount is { } count)
        {
            Span<byte> bytes = stackalloc byte[4];
            BinaryPrimitives.WriteUInt32LittleEndian(bytes, unchecked((uint)count));
            hash = Fnv32a(hash, bytes);
        }

        return SafeEncodeString(hash.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>rand.SafeEncodeString: each byte picks a letter of an alphabet without vowels.</summary>
    public static string SafeEncodeString(string s)
    {
        var chars = new char[s.Length];
        for (var i = 0; i < s.Length; i++)
        {
            chars[i] = Alphanums[s[i] % Alphanums.Length];
        }

        return new string(chars);
    }

    private static uint Fnv32a(uint hash, ReadOnlySpan<byte> data)
    {
        foreach (var b in data)
        {
            hash ^= b;
            hash = unchecked(hash * FnvPrime);
        }

        return hash;
    }

    /// <summary>A copy of the JSON with every object's keys in ordinal order.</summary>
    internal static JsonNode? Canonical(JsonNode? node) => node switch
    {
        JsonObject obj => new JsonObject(obj.OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => KeyValuePair.Create(p.Key, Canonical(p.Value)))),
        JsonArray array => new JsonArray([.. array.Select(Canonical)]),
        null => null,
        _ => node.DeepClone(),
    };
}
