using System.Text.Json;
using System.Text.Json.Nodes;
using MiniKube.Api.Yaml;
using MiniKube.ApiServer.Errors;

namespace MiniKube.ApiServer.Endpoints;

/// <summary>Writes objects and Status errors in the media type the client accepts.</summary>
public static class Responses
{
    public static async Task WriteAsync(HttpContext context, int statusCode, JsonNode body)
    {
        var response = context.Response;
        response.StatusCode = statusCode;
        if (MediaTypes.WantsYaml(context.Request.Headers.Accept.ToString()))
        {
            response.ContentType = MediaTypes.Yaml;
            await response.WriteAsync(YamlWriter.Write(body), context.RequestAborted).ConfigureAwait(false);
            return;
        }

        response.ContentType = MediaTypes.Json;
        // Straight into the response's buffers (the serializer's default encoder, as before), not through a byte[] per response.
        using (var writer = new Utf8JsonWriter(response.BodyWriter))
        {
            body.WriteTo(writer);
        }

        await response.BodyWriter.FlushAsync(context.RequestAborted).ConfigureAwait(false);
    }

    public static Task WriteErrorAsync(HttpContext context, ApiException error) => WriteAsync(context, error.Code, error.ToStatus());

    /// <summary>metav1.Status{Status: Success}, which some deletes answer with.</summary>
    public static JsonObject Success(string group, string resource, string name, string? uid)
    {
        var details = new JsonObject { ["name"] = name };
        if (group.Length > 0)
        {
            details["group"] = group;
        }

        details["kind"] = resource;
        if (uid is not null)
        {
            details["uid"] = uid;
        }

        return new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = "Success",
            ["details"] = details,
        };
    }
}
