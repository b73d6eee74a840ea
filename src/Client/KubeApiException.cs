using MiniKube.Api.Meta;

namespace MiniKube.Client;

/// <summary>An error answer from the apiserver, with the metav1.Status it sent (or one made up from the HTTP
/// status when the body was not a Status).</summary>
public sealed class KubeApiException : Exception
{
    public KubeApiException(Status status)
        : base(status.Message ?? status.Reason ?? $"the server answered {status.Code}")
    {
        Status = status;
    }

    public KubeApiException()
        : this(new Status { Code = 500, Reason = "InternalError" })
    {
    }

    public KubeApiException(string message)
        : this(new Status { Code = 500, Reason = "InternalError", Message = message })
    {
    }

    public KubeApiException(string message, Exception innerException)
        : base(message, innerException)
    {
        Status = new Status { Code = 500, Reason = "InternalError", Message = message };
    }

    public Status Status { get; }

    public int Code => Status.Code ?? 0;

    public string Reason => Status.Reason ?? "";

    public bool IsNotFound => Code == 404 || Reason == "NotFound";

    public bool IsConflict => Code == 409 && Reason != "AlreadyExists";

    public bool IsAlreadyExists => Reason == "AlreadyExists";

    /// <summary>410: a resourceVersion older than the store (or the watch cache) still holds.</summary>
    public bool IsGone => Code == 410 || Reason is "Expired" or "Gone";

    public static bool IsNotFoundError(Exception e) => e is KubeApiException { IsNotFound: true };

    public static bool IsConflictError(Exception e) => e is KubeApiException { IsConflict: true };

    public static bool IsAlreadyExistsError(Exception e) => e is KubeApiException { IsAlreadyExists: true };

    public static bool IsGoneError(Exception e) => e is KubeApiException { IsGone: true };
}
