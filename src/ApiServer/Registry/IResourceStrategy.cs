using System.Text.Json.Nodes;
using MiniKube.Api.Validation;

namespace MiniKube.ApiServer.Registry;

/// <summary>
/// The rules of one kind (Kubernetes' RESTCreateStrategy/RESTUpdateStrategy): how its objects are
/// decoded and defaulted, which parts a write may touch, and what makes one valid.
/// Implementations are stateless and called concurrently.
/// </summary>
public interface IResourceStrategy
{
    /// <summary>
    /// The object as the server keeps it: defaults filled in and fields the kind does not know
    /// dropped. With <paramref name="strict"/>, unknown fields are errors (fieldValidation=Strict):
    /// their paths are returned instead.
    /// </summary>
    JsonObject Normalize(JsonObject obj, bool strict, out IReadOnlyList<string> unknownFields);

    /// <summary>Resets what a client may not set on create (status, generation).</summary>
    void PrepareForCreate(JsonObject obj);

    /// <summary>Carries over what an update of the main resource may not change (status), and bumps the generation when the spec changed.</summary>
    void PrepareForUpdate(JsonObject obj, JsonObject old);

    /// <summary>Carries over everything a status update may not change (spec, most metadata).</summary>
    void PrepareForStatusUpdate(JsonObject obj, JsonObject old);

    IReadOnlyList<FieldError> Validate(JsonObject obj, JsonObject? old);

    /// <summary>The checks of a status update (identity, status fields) — a pod's spec rules do not apply.</summary>
    IReadOnlyList<FieldError> ValidateStatusUpdate(JsonObject obj, JsonObject old);

    /// <summary>Whether a PUT of a missing object creates it.</summary>
    bool AllowCreateOnUpdate { get; }

    /// <summary>Whether a PUT without a resourceVersion overwrites whatever is stored.</summary>
    bool AllowUnconditionalUpdate { get; }
}
