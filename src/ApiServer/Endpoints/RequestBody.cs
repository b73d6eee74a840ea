using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;
using MiniKube.ApiServer.Errors;

namespace MiniKube.ApiServer.Endpoints;

/// <summary>Reads a request body: at most the size limit, JSON or YAML, into a JSON tree.</summary>
public static class RequestBody
{
    /// <summary>Kubernetes' limit on a request body (3 MiB).</summary>
    public const long MaxBytes = 3 * 1024 * 1024;

    public static async Task<byte[]> ReadBytesAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength is > MaxBytes)
        {
            throw ApiException.RequestEntityTooLarge(MaxBytes);
        }

        if (request.ContentLength is { } length)
        {
            // Almost every client sends the length: read straight into an array of that size. A growing stream and
            // a fresh 80 KiB chunk per request were ~6% of the apiserver's CPU in bench e2e (allocation and zeroing).
            var body = length == 0 ? [] : new byte[length];
            var filled = 0;
            while (filled < body.Length)
            {
                var read = await request.Body.ReadAsync(body.AsMemory(filled), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                filled += read;
            }

            return filled == body.Length ? body : body[..filled];
        }

        using var buffer = new MemoryStream();
        var chunk = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            int read;
            while ((read = await request.Body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
            {
                if (buffer.Length + read > MaxBytes)
                {
                    throw ApiException.RequestEntityTooLarge(MaxBytes);
                }

                buffer.Write(chunk, 0, read);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }

        return buffer.ToArray();
    }

    /// <summary>Parses a body as JSON, or as YAML when the content type says so.</summary>
    public static JsonNode Parse(byte[] body, string contentType)
    {
        if (body.Length == 0)
        {
            throw ApiException.BadRequest("the body of the request was empty");
        }

        var bare = MediaTypes.Bare(contentType);
        if (bare == KubeProtobuf.MediaType)
        {
            return KubeProtobuf.Decode(body);
        }

        if (bare is MediaTypes.Yaml or "application/x-yaml" or "text/yaml" or MediaTypes.ApplyPatch)
        {
            return YamlBody.Parse(body);
        }

        if (bare.Length > 0 && bare != MediaTypes.Json && !bare.EndsWith("+json", StringComparison.Ordinal) && bare != "*/*")
        {
            throw ApiException.UnsupportedMediaType(contentType);
        }

        try
        {
            return JsonNode.Parse(body) ?? throw ApiException.BadRequest("the body of the request was null");
        }
        catch (JsonException e)
        {
            throw ApiException.BadRequest($"error decoding JSON: {e.Message}");
        }
    }

    public static JsonObject ParseObject(byte[] body, string contentType)
        => Parse(body, contentType) as JsonObject ?? throw ApiException.BadRequest("the body of the request must be a JSON object");
}
