using System.Text.Json.Nodes;
using MiniKube.Api.Meta;
using MiniKube.Api.Serialization;
using MiniKube.Api.Validation;
using MiniKube.ApiServer.Storage;

namespace MiniKube.ApiServer.Errors;

/// <summary>
/// A request that ends in a metav1.Status: the HTTP code, Kubernetes' reason and message, and the
/// details a client reads (name, group, kind, causes). Built by the factory methods below, whose
/// messages follow k8s.io/apimachinery/pkg/api/errors word for word.
/// </summary>
public sealed class ApiException(int code, string reason, string message, JsonObject? details = null) : Exception(message)
{
    public int Code { get; } = code;

    public string Reason { get; } = reason;

    public JsonObject? Details { get; } = details;

    public JsonObject ToStatus()
    {
        var status = StatusJson.Failure(Code, Reason, Message);
        if (Details is not null)
        {
            status["details"] = Details.DeepClone();
        }

        return status;
    }

    /// <summary>An exception carrying a Status built by the object model's <see cref="ApiStatus"/>.</summary>
    public static ApiException From(Status status)
    {
        var details = status.Details is null ? null : ApiJson.ToNode(status.Details).AsObject();
        return new ApiException(status.Code ?? 500, status.Reason ?? "", status.Message ?? "", details);
    }

    public static ApiException NotFound(string group, string resource, string name) => From(ApiStatus.NotFound(group, resource, name));

    public static ApiException AlreadyExists(string group, string resource, string name) => From(ApiStatus.AlreadyExists(group, resource, name));

    public static ApiException Conflict(string group, string resource, string name, string why) => From(ApiStatus.Conflict(group, resource, name, why));

    public const string ObjectModified = "the object has been modified; please apply your changes to the latest version and try again";

    public static ApiException BadRequest(string message) => new(400, "BadRequest", message);

    public static ApiException Invalid(string group, string kind, string name, IReadOnlyList<FieldError> errors)
        => From(ApiStatus.Invalid(group.Length == 0 ? kind : $"{kind}.{group}", name, errors));

    public static ApiException Gone(string message) => new(410, "Expired", message);

    public static ApiException MethodNotAllowed(string verb, string what)
        => new(405, "MethodNotAllowed", $"{verb} is not supported on resources of kind \"{what}\"");

    public static ApiException RequestEntityTooLarge(long limit)
        => new(413, "RequestEntityTooLarge", $"Request entity too large: limit is {limit}");

    public static ApiException UnsupportedMediaType(string contentType)
        => new(415, "UnsupportedMediaType", $"the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf; got {contentType}");

    public static ApiException NotAcceptable(string accept)
        => new(406, "NotAcceptable", $"only the following media types are accepted: application/json, application/yaml; requested {accept}");

    public static ApiException Timeout(string message) => new(504, "Timeout", message);

    public static ApiException ServiceUnavailable(string message) => new(503, "ServiceUnavailable", message);

    public static ApiException Internal(string message) => new(500, "InternalError", $"Internal error occurred: {message}");

    public static ApiException PageNotFound() => new(404, "NotFound", "the server could not find the requested resource");
}
