using System.Text.Json.Nodes;
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

    /// <summary>"deployments.apps" or "pods": how Kubernetes names a resource in messages.</summary>
    public static string Qualified(string group, string resource) => group.Length == 0 ? resource : $"{resource}.{group}";

    private static JsonObject Describe(string group, string resource, string name)
    {
        var details = new JsonObject { ["name"] = name };
        if (group.Length > 0)
        {
            details["group"] = group;
        }

        details["kind"] = resource;
        return details;
    }

    public static ApiException NotFound(string group, string resource, string name)
        => new(404, "NotFound", $"{Qualified(group, resource)} \"{name}\" not found", Describe(group, resource, name));

    public static ApiException AlreadyExists(string group, string resource, string name)
        => new(409, "AlreadyExists", $"{Qualified(group, resource)} \"{name}\" already exists", Describe(group, resource, name));

    public static ApiException Conflict(string group, string resource, string name, string why)
        => new(409, "Conflict", $"Operation cannot be fulfilled on {Qualified(group, resource)} \"{name}\": {why}", Describe(group, resource, name));

    public const string ObjectModified = "the object has been modified; please apply your changes to the latest version and try again";

    public static ApiException BadRequest(string message) => new(400, "BadRequest", message);

    public static ApiException Invalid(string group, string kind, string name, IReadOnlyList<(string Type, string Field, string Message)> causes)
    {
        var qualifiedKind = group.Length == 0 ? kind : $"{kind}.{group}";
        var rendered = causes.Select(c => $"{c.Field}: {c.Message}").ToList();
        var list = rendered.Count == 1 ? rendered[0] : $"[{string.Join(", ", rendered)}]";
        var details = Describe(group, kind, name);
        details["causes"] = new JsonArray([.. causes.Select(c => (JsonNode)new JsonObject { ["reason"] = c.Type, ["message"] = c.Message, ["field"] = c.Field })]);
        return new ApiException(422, "Invalid", $"{qualifiedKind} \"{name}\" is invalid: {list}", details);
    }

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
