using System.Text.Json.Nodes;

namespace MiniKube.ApiServer.Storage;

/// <summary>metav1.Status objects as JSON, for the places that speak in them below the REST layer (watch ERROR events).</summary>
public static class StatusJson
{
    public static JsonObject Failure(int code, string reason, string message) => new()
    {
        ["kind"] = "Status",
        ["apiVersion"] = "v1",
        ["metadata"] = new JsonObject(),
        ["status"] = "Failure",
        ["message"] = message,
        ["reason"] = reason,
        ["code"] = code,
    };
}
