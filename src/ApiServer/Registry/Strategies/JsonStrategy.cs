using System.Text.Json.Nodes;
using MiniKube.Api.Validation;

namespace MiniKube.ApiServer.Registry.Strategies;

/// <summary>
/// The rules every kind shares, on objects kept as JSON: spec and status kept apart, generation
/// bumped on spec changes, status-update metadata reset (Kubernetes' ResetObjectMetaForStatus).
/// Kinds with more rules derive from it.
/// </summary>
public class JsonStrategy : IResourceStrategy
{
    private static readonly string[] MetadataKeptByStatusUpdates = ["labels", "annotations", "finalizers", "ownerReferences", "deletionTimestamp", "generation"];

    /// <summary>Whether the kind has a status subresource (status is then written only through it).</summary>
    public bool HasStatus { get; init; }

    /// <summary>Whether metadata.generation counts spec changes.</summary>
    public bool TracksGeneration { get; init; }

    /// <summary>Whether a create starts from an empty status (false: the creator's status is kept, as for nodes).</summary>
    public bool ResetStatusOnCreate { get; init; } = true;

    public bool AllowCreateOnUpdate { get; init; }

    public bool AllowUnconditionalUpdate { get; init; } = true;

    public virtual JsonObject Normalize(JsonObject obj, bool strict, out IReadOnlyList<string> unknownFields)
    {
        unknownFields = [];
        return obj;
    }

    public virtual void PrepareForCreate(JsonObject obj)
    {
        if (HasStatus && ResetStatusOnCreate)
        {
            obj.Remove("status");
        }

        if (TracksGeneration)
        {
            ObjectMetadataOf(obj)["generation"] = 1;
        }
    }

    public virtual void PrepareForUpdate(JsonObject obj, JsonObject old)
    {
        if (HasStatus)
        {
            CopyField(old, obj, "status");
        }

        if (TracksGeneration)
        {
            var generation = old["metadata"]?["generation"]?.GetValue<long>() ?? 1;
            if (!JsonNode.DeepEquals(old["spec"], obj["spec"]))
            {
                generation++;
            }

            ObjectMetadataOf(obj)["generation"] = generation;
        }
    }

    public virtual void PrepareForStatusUpdate(JsonObject obj, JsonObject old)
    {
        CopyField(old, obj, "spec");
        var metadata = ObjectMetadataOf(obj);
        var oldMetadata = ObjectMetadataOf(old);
        foreach (var field in MetadataKeptByStatusUpdates)
        {
            if (oldMetadata[field] is { } value)
            {
                metadata[field] = value.DeepClone();
            }
            else
            {
                metadata.Remove(field);
            }
        }
    }

    public virtual IReadOnlyList<FieldError> Validate(JsonObject obj, JsonObject? old) => [];

    public virtual IReadOnlyList<FieldError> ValidateStatusUpdate(JsonObject obj, JsonObject old) => [];

    protected static JsonObject ObjectMetadataOf(JsonObject obj) => Storage.ObjectMetadata.Of(obj);

    protected static void CopyField(JsonObject from, JsonObject to, string field)
    {
        if (from[field] is { } value)
        {
            to[field] = value.DeepClone();
        }
        else
        {
            to.Remove(field);
        }
    }
}
