using System.Text.Json;
using System.Text.Json.Nodes;
using MiniKube.Api.Defaulting;
using MiniKube.Api.Meta;
using MiniKube.Api.Serialization;
using MiniKube.Api.Validation;

namespace MiniKube.ApiServer.Registry.Strategies;

/// <summary>
/// A kind with a typed model in MiniKube.Api: objects are decoded into it (dropping fields the
/// kind does not have, or reporting them when strict), defaulted, and validated by the model's
/// rules. Stored and served objects are the model's JSON, so what etcdctl shows is what the
/// apiserver serves.
/// </summary>
public class TypedStrategy(Type clrType) : JsonStrategy
{
    public Type ClrType => clrType;

    public override JsonObject Normalize(JsonObject obj, bool strict, out IReadOnlyList<string> unknownFields)
    {
        object typed;
        try
        {
            typed = ApiJson.FromNode(obj, clrType);
        }
        catch (JsonException e)
        {
            throw Errors.ApiException.BadRequest($"error decoding {clrType.Name}: {e.Message}");
        }

        var unknown = new List<string>();
        if (strict)
        {
            // Compared before defaulting: defaults may move a sent field (a Secret's stringData into data).
            CollectUnknown(obj, JsonSerializer.SerializeToNode(typed, clrType, ApiJson.Options), "", unknown);
        }

        unknownFields = unknown;
        ObjectDefaulter.Apply((IKubernetesObject)typed);
        return (JsonObject)JsonSerializer.SerializeToNode(typed, clrType, ApiJson.Options)!;
    }

    public override IReadOnlyList<FieldError> Validate(JsonObject obj, JsonObject? old)
    {
        var typed = (IKubernetesObject)ApiJson.FromNode(obj, clrType);
        var typedOld = old is null ? null : (IKubernetesObject)ApiJson.FromNode(old, clrType);
        return ObjectValidator.Validate(typed, typedOld);
    }

    public override IReadOnlyList<FieldError> ValidateStatusUpdate(JsonObject obj, JsonObject old)
        => ObjectValidator.ValidateStatusUpdate((IKubernetesObject)ApiJson.FromNode(obj, clrType), (IKubernetesObject)ApiJson.FromNode(old, clrType));

    /// <summary>Paths present in what the client sent but not in the decoded object: the fields the kind does not have.</summary>
    private static void CollectUnknown(JsonNode? sent, JsonNode? decoded, string path, List<string> unknown)
    {
        switch (sent)
        {
            case JsonObject sentObject when decoded is JsonObject decodedObject:
                foreach (var (key, value) in sentObject)
                {
                    var childPath = path.Length == 0 ? key : $"{path}.{key}";
                    if (!decodedObject.ContainsKey(key))
                    {
                        if (value is not null && !IsEmptyContainer(value))
                        {
                            unknown.Add(childPath);
                        }

                        continue;
                    }

                    CollectUnknown(value, decodedObject[key], childPath, unknown);
                }

                break;
            case JsonArray sentArray when decoded is JsonArray decodedArray:
                for (var i = 0; i < sentArray.Count && i < decodedArray.Count; i++)
                {
                    CollectUnknown(sentArray[i], decodedArray[i], $"{path}[{i}]", unknown);
                }

                break;
        }
    }

    private static bool IsEmptyContainer(JsonNode node) => node is JsonObject { Count: 0 } or JsonArray { Count: 0 };
}
