using MiniKube.Api.Meta;
using MiniKube.Api.Resources;

namespace MiniKube.Api.Validation;

/// <summary>The metav1.Status bodies of API errors, with the codes, reasons and messages of apimachinery's
/// pkg/api/errors. "Qualified" names carry the group after a dot when it is not the core group
/// ("deployments.apps", "Deployment.apps").</summary>
public static class ApiStatus
{
    /// <summary>422 Invalid: `Deployment.apps "web" is invalid: [spec.replicas: …, …]`.</summary>
    public static Status Invalid(string qualifiedKind, string name, IReadOnlyList<FieldError> errors)
    {
        var (kind, group) = SplitQualified(qualifiedKind);
        var causes = errors.Select(e => new StatusCause { Reason = e.Type, Message = e.Message, Field = e.Field }).ToList();
        return Failure(422, "Invalid", $"{qualifiedKind} {FieldError.Quote(name)} is invalid: {Aggregate(errors.Select(e => e.ToString()))}",
            new StatusDetails { Name = name, Group = NullIfEmpty(group), Kind = kind, Causes = causes });
    }

    public static Status Invalid(ApiResource resource, string name, IReadOnlyList<FieldError> errors) =>
        Invalid(resource.QualifiedKind, name, errors);

    /// <summary>404 NotFound: `pods "x" not found`.</summary>
    public static Status NotFound(string group, string plural, string name) =>
        Failure(404, "NotFound", $"{Qualify(plural, group)} {FieldError.Quote(name)} not found",
            new StatusDetails { Name = name, Group = NullIfEmpty(group), Kind = plural });

    /// <summary>409 AlreadyExists: `pods "x" already exists`.</summary>
    public static Status AlreadyExists(string group, string plural, string name) =>
        Failure(409, "AlreadyExists", $"{Qualify(plural, group)} {FieldError.Quote(name)} already exists",
            new StatusDetails { Name = name, Group = NullIfEmpty(group), Kind = plural });

    /// <summary>409 Conflict, by default the stale-resourceVersion message of an update.</summary>
    public static Status Conflict(string group, string plural, string name,
        string reason = "the object has been modified; please apply your changes to the latest version and try again") =>
        Failure(409, "Conflict", $"Operation cannot be fulfilled on {Qualify(plural, group)} {FieldError.Quote(name)}: {reason}",
            new StatusDetails { Name = name, Group = NullIfEmpty(group), Kind = plural });

    /// <summary>410 Gone, e.g. "too old resource version: 5 (10)".</summary>
    public static Status Gone(string message) => Failure(410, "Gone", message, null);

    /// <summary>410 Expired: what a watch or a continue token from before the compaction gets.</summary>
    public static Status Expired(string message) => Failure(410, "Expired", message, null);

    public static Status BadRequest(string message) => Failure(400, "BadRequest", message, null);

    /// <summary>405 MethodNotAllowed: `delete is not supported on resources of kind "bindings"`.</summary>
    public static Status MethodNotAllowed(string group, string plural, string action) =>
        Failure(405, "MethodNotAllowed", $"{action} is not supported on resources of kind {FieldError.Quote(Qualify(plural, group))}",
            new StatusDetails { Group = NullIfEmpty(group), Kind = plural });

    public static Status RequestEntityTooLarge(string message) =>
        Failure(413, "RequestEntityTooLarge", $"Request entity too large: {message}", null);

    /// <summary>403 Forbidden: `pods "x" is forbidden: reason` (without a name: `pods is forbidden: reason`).</summary>
    public static Status Forbidden(string group, string plural, string name, string reason)
    {
        var message = plural.Length == 0 ? $"forbidden: {reason}"
            : name.Length == 0 ? $"{Qualify(plural, group)} is forbidden: {reason}"
            : $"{Qualify(plural, group)} {FieldError.Quote(name)} is forbidden: {reason}";
        return Failure(403, "Forbidden", message, new StatusDetails { Name = NullIfEmpty(name), Group = NullIfEmpty(group), Kind = NullIfEmpty(plural) });
    }

    public static Status InternalError(string error) =>
        Failure(500, "InternalError", $"Internal error occurred: {error}",
            new StatusDetails { Causes = [new StatusCause { Message = error }] });

    /// <summary>504 Timeout: `Timeout: message`, with the seconds after which to retry.</summary>
    public static Status Timeout(string message, int retryAfterSeconds = 0) =>
        Failure(504, "Timeout", $"Timeout: {message}", new StatusDetails { RetryAfterSeconds = retryAfterSeconds });

    /// <summary>500 ServerTimeout: `The {operation} operation against {resource} could not be completed at this time, please try again.`</summary>
    public static Status ServerTimeout(string group, string plural, string operation, int retryAfterSeconds) =>
        Failure(500, "ServerTimeout",
            $"The {operation} operation against {Qualify(plural, group)} could not be completed at this time, please try again.",
            new StatusDetails { Group = NullIfEmpty(group), Kind = plural, Name = operation, RetryAfterSeconds = retryAfterSeconds });

    /// <summary>The Success status that a delete of a resource without a body, or a deletecollection, returns.</summary>
    public static Status Success(StatusDetails? details = null) => new()
    {
        Kind = "Status",
        ApiVersion = "v1",
        Metadata = new ListMeta(),
        StatusValue = Status.Success,
        Details = details,
    };

    /// <summary>k8s's aggregate error text: one message alone, several in brackets, duplicates dropped.</summary>
    public static string Aggregate(IEnumerable<string> messages)
    {
        var distinct = messages.Distinct(StringComparer.Ordinal).ToList();
        return distinct.Count == 1 ? distinct[0] : "[" + string.Join(", ", distinct) + "]";
    }

    private static Status Failure(int code, string reason, string message, StatusDetails? details) => new()
    {
        Kind = "Status",
        ApiVersion = "v1",
        Metadata = new ListMeta(),
        StatusValue = Status.Failure,
        Message = message,
        Reason = reason,
        Details = details,
        Code = code,
    };

    private static string Qualify(string plural, string group) => group.Length == 0 ? plural : $"{plural}.{group}";

    private static (string Kind, string Group) SplitQualified(string qualified)
    {
        var dot = qualified.IndexOf('.', StringComparison.Ordinal);
        return dot < 0 ? (qualified, "") : (qualified[..dot], qualified[(dot + 1)..]);
    }

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;
}
