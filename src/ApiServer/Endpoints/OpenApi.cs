using System.Collections;
using System.Reflection;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using MiniKube.Api.Meta;
using MiniKube.Api.Patching;
using MiniKube.Api.Quantities;
using MiniKube.Api.Resources;
using MiniKube.ApiServer.Registry;
using MiniKube.ApiServer.Registry.Strategies;

namespace MiniKube.ApiServer.Endpoints;

/// <summary>
/// /openapi/v3: one OpenAPI 3 document per group version, generated from the object model by
/// reflection, with what kubectl reads from it: the x-kubernetes-group-version-kind of each kind
/// and of each PATCH operation, the fieldValidation parameter (so kubectl leaves validation to the
/// server), and the strategic-merge extensions (x-kubernetes-patch-strategy / -merge-key) that
/// kubectl apply computes its patches with.
/// </summary>
public static class OpenApi
{
    private static readonly Lazy<Dictionary<string, JsonObject>> Documents = new(BuildAll);

    public static JsonObject Root()
    {
        var paths = new JsonObject();
        foreach (var (path, document) in Documents.Value)
        {
            var hash = Convert.ToHexString(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(document)));
            paths[path] = new JsonObject { ["serverRelativeURL"] = $"/openapi/v3/{path}?hash={hash}" };
        }

        return new JsonObject { ["paths"] = paths };
    }

    /// <summary>The document of "api/v1" or "apis/apps/v1"; null for anything else.</summary>
    public static JsonObject? GroupVersion(string path)
        => Documents.Value.TryGetValue(path.Trim('/'), out var document) ? document.DeepClone().AsObject() : null;

    private static Dictionary<string, JsonObject> BuildAll()
    {
        var documents = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        foreach (var (group, version) in ApiResources.GroupVersions)
        {
            var path = group.Length == 0 ? $"api/{version}" : $"apis/{group}/{version}";
            documents[path] = Build(group, version);
        }

        return documents;
    }

    private static JsonObject Build(string group, string version)
    {
        var schemas = new SortedDictionary<string, JsonObject>(StringComparer.Ordinal);
        var paths = new JsonObject();
        var prefix = group.Length == 0 ? $"/api/{version}" : $"/apis/{group}/{version}";
        foreach (var resource in ResourceRegistry.Resources.Where(r => r.Group == group && r.Version == version))
        {
            if (resource.Strategy is not TypedStrategy typed)
            {
                continue;
            }

            var gvk = new JsonArray(new JsonObject { ["group"] = group, ["version"] = version, ["kind"] = resource.Kind });
            var patchInfo = PatchSchema.ForKind(resource.ApiVersion, resource.Kind);
            var schemaName = Describe(typed.ClrType, schemas, patchInfo, "");
            schemas[schemaName]["x-kubernetes-group-version-kind"] = gvk.DeepClone();
            var reference = new JsonObject { ["$ref"] = $"#/components/schemas/{schemaName}" };
            var collection = resource.Namespaced ? $"{prefix}/namespaces/{{namespace}}/{resource.Plural}" : $"{prefix}/{resource.Plural}";
            paths[collection] = new JsonObject
            {
                ["get"] = Operation($"list{resource.Kind}", gvk, null),
                ["post"] = Operation($"create{resource.Kind}", gvk, reference, Parameters("dryRun", "fieldManager", "fieldValidation")),
            };
            paths[$"{collection}/{{name}}"] = new JsonObject
            {
                ["get"] = Operation($"read{resource.Kind}", gvk, null),
                ["put"] = Operation($"replace{resource.Kind}", gvk, reference, Parameters("dryRun", "fieldManager", "fieldValidation")),
                ["patch"] = PatchOperation($"patch{resource.Kind}", gvk),
                ["delete"] = Operation($"delete{resource.Kind}", gvk, null, Parameters("dryRun", "gracePeriodSeconds", "propagationPolicy")),
            };
        }

        var components = new JsonObject();
        foreach (var (name, schema) in schemas)
        {
            components[name] = schema;
        }

        return new JsonObject
        {
            ["openapi"] = "3.0.0",
            ["info"] = new JsonObject { ["title"] = "Kubernetes", ["version"] = "v1.32.0" },
            ["paths"] = paths,
            ["components"] = new JsonObject { ["schemas"] = components },
        };
    }

    private static JsonObject Operation(string id, JsonArray gvk, JsonObject? body, JsonArray? parameters = null)
    {
        var operation = new JsonObject
        {
            ["operationId"] = id,
            ["responses"] = new JsonObject { ["200"] = new JsonObject { ["description"] = "OK" } },
            ["x-kubernetes-group-version-kind"] = gvk[0]!.DeepClone(),
        };
        if (parameters is not null)
        {
            operation["parameters"] = parameters;
        }

        if (body is not null)
        {
            operation["requestBody"] = new JsonObject
            {
                ["content"] = new JsonObject { ["*/*"] = new JsonObject { ["schema"] = body.DeepClone() } },
                ["required"] = true,
            };
        }

        return operation;
    }

    private static JsonObject PatchOperation(string id, JsonArray gvk)
    {
        var patchSchema = new JsonObject { ["type"] = "object" };
        var content = new JsonObject();
        foreach (var mediaType in new[] { MediaTypes.ApplyPatch, MediaTypes.JsonPatch, MediaTypes.MergePatch, MediaTypes.StrategicMergePatch })
        {
            content[mediaType] = new JsonObject { ["schema"] = patchSchema.DeepClone() };
        }

        var operation = Operation(id, gvk, null, Parameters("dryRun", "fieldManager", "fieldValidation", "force"));
        operation["requestBody"] = new JsonObject { ["content"] = content, ["required"] = true };
        return operation;
    }

    private static JsonArray Parameters(params string[] names)
        => new([.. names.Select(n => (JsonNode)new JsonObject
        {
            ["name"] = n,
            ["in"] = "query",
            ["schema"] = new JsonObject { ["type"] = n is "gracePeriodSeconds" ? "integer" : n is "force" ? "boolean" : "string", ["uniqueItems"] = true },
        })]);

    /// <summary>Adds the schema of a model class (and of every class it uses) and returns its name.</summary>
    private static string Describe(Type type, SortedDictionary<string, JsonObject> schemas, PatchSchema patchInfo, string path)
    {
        var name = SchemaName(type);
        if (schemas.ContainsKey(name))
        {
            return name;
        }

        var properties = new JsonObject();
        var schema = new JsonObject { ["type"] = "object", ["properties"] = properties };
        schemas[name] = schema;
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetCustomAttribute<JsonIgnoreAttribute>() is not null || property.GetIndexParameters().Length > 0)
            {
                continue;
            }

            var jsonName = property.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? JsonNamingPolicy.CamelCase.ConvertName(property.Name);
            var childPath = path.Length == 0 ? jsonName : $"{path}.{jsonName}";
            var propertySchema = SchemaOf(property.PropertyType, schemas, patchInfo, childPath);
            if (patchInfo.Lookup(childPath) is { } info)
            {
                propertySchema["x-kubernetes-patch-strategy"] = info.Strategy switch
                {
                    PatchStrategy.Replace => "replace",
                    _ when info.RetainKeys => "retainKeys",
                    _ => "merge",
                };
                if (info.MergeKey is not null)
                {
                    propertySchema["x-kubernetes-patch-merge-key"] = info.MergeKey;
                }
            }

            properties[jsonName] = propertySchema;
        }

        return name;
    }

    private static JsonObject SchemaOf(Type type, SortedDictionary<string, JsonObject> schemas, PatchSchema patchInfo, string path)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(string))
        {
            return new JsonObject { ["type"] = "string" };
        }

        if (type == typeof(bool))
        {
            return new JsonObject { ["type"] = "boolean" };
        }

        if (type == typeof(int) || type == typeof(long) || type == typeof(short))
        {
            return new JsonObject { ["type"] = "integer", ["format"] = type == typeof(int) ? "int32" : "int64" };
        }

        if (type == typeof(double) || type == typeof(float) || type == typeof(decimal))
        {
            return new JsonObject { ["type"] = "number", ["format"] = "double" };
        }

        if (type == typeof(DateTimeOffset) || type == typeof(DateTime))
        {
            return new JsonObject { ["type"] = "string", ["format"] = "date-time" };
        }

        if (type == typeof(IntOrString) || type == typeof(Quantity))
        {
            return new JsonObject { ["x-kubernetes-int-or-string"] = true };
        }

        if (type.IsEnum)
        {
            return new JsonObject { ["type"] = "string" };
        }

        if (type.IsGenericType && type.GetGenericTypeDefinition() is var definition
            && (definition == typeof(Dictionary<,>) || definition == typeof(IDictionary<,>) || definition == typeof(IReadOnlyDictionary<,>)))
        {
            return new JsonObject { ["type"] = "object", ["additionalProperties"] = SchemaOf(type.GetGenericArguments()[1], schemas, patchInfo, path) };
        }

        if (type != typeof(string) && typeof(IEnumerable).IsAssignableFrom(type) && ElementType(type) is { } element)
        {
            return new JsonObject { ["type"] = "array", ["items"] = SchemaOf(element, schemas, patchInfo, path) };
        }

        if (type.Namespace?.StartsWith("MiniKube.Api", StringComparison.Ordinal) == true && type.IsClass)
        {
            var name = Describe(type, schemas, patchInfo, path);
            return new JsonObject { ["allOf"] = new JsonArray(new JsonObject { ["$ref"] = $"#/components/schemas/{name}" }) };
        }

        return new JsonObject { ["type"] = "object", ["x-kubernetes-preserve-unknown-fields"] = true };
    }

    private static Type? ElementType(Type type)
        => type.IsArray ? type.GetElementType()
            : type.IsGenericType && type.GetGenericArguments().Length == 1 ? type.GetGenericArguments()[0]
            : null;

    /// <summary>Kubernetes' schema names: io.k8s.api.core.v1.Pod, io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta.</summary>
    private static string SchemaName(Type type)
    {
        var area = type.Namespace?.Split('.').LastOrDefault() ?? "";
        return area switch
        {
            "Meta" => $"io.k8s.apimachinery.pkg.apis.meta.v1.{type.Name}",
            "Core" => $"io.k8s.api.core.v1.{type.Name}",
            "Apps" => $"io.k8s.api.apps.v1.{type.Name}",
            "Coordination" => $"io.k8s.api.coordination.v1.{type.Name}",
            "Autoscaling" => $"io.k8s.api.autoscaling.v1.{type.Name}",
            _ => $"io.minikube.{area.ToLowerInvariant()}.{type.Name}",
        };
    }
}
