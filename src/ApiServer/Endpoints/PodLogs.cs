using System.Globalization;
using System.Text.Json.Nodes;
using MiniKube.ApiServer.Errors;
using MiniKube.ApiServer.Registry;

namespace MiniKube.ApiServer.Endpoints;

/// <summary>
/// GET pods/{name}/log: picks the container as Kubernetes' LogLocation does, then proxies to the node's
/// /containerLogs endpoint (the Node's InternalIP and daemonEndpoints.kubeletEndpoint.Port) and streams its text
/// back; the node's errors come back as Status bodies with its code and text, as the apiserver's response checker
/// makes them.
/// </summary>
public static class PodLogs
{
    private static readonly string[] PassedOn = ["follow", "previous", "timestamps", "sinceSeconds", "sinceTime", "tailLines", "limitBytes"];
    private static readonly string[] Integers = ["sinceSeconds", "tailLines", "limitBytes"];
    private static readonly string[] AddressPreference = ["InternalIP", "ExternalIP", "InternalDNS", "ExternalDNS", "Hostname"];

    // Logs may follow for hours: no client timeout; each request ends with the caller's.
    private static readonly HttpClient Http = new(new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(10) }) { Timeout = Timeout.InfiniteTimeSpan };

    public static async Task ServeAsync(HttpContext context, ResourceRegistry registry, ResourceStore pods, RequestInfo info)
    {
        var query = context.Request.Query;
        foreach (var name in Integers)
        {
            if (query[name].ToString() is { Length: > 0 } v && (!long.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out _)))
            {
                throw ApiException.BadRequest($"{name}: invalid value \"{v}\"");
            }
        }

        var pod = await pods.GetAsync(info.Namespace, info.Name!, null, context.RequestAborted).ConfigureAwait(false);
        var container = ValidateContainer(query["container"].ToString(), pod, info.Name!);
        var nodeName = pod["spec"]?["nodeName"]?.ToString();
        if (string.IsNullOrEmpty(nodeName))
        {
            // Not scheduled yet: nothing to show, as Kubernetes answers with an empty stream.
            context.Response.StatusCode = 200;
            context.Response.ContentType = "text/plain";
            return;
        }

        var node = await registry.Get("", "nodes").GetAsync(null, nodeName, null, context.RequestAborted).ConfigureAwait(false);
        var location = Location(node, nodeName, info.Namespace!, info.Name!, container, query);
        using var request = new HttpRequestMessage(HttpMethod.Get, location);
        HttpResponseMessage response;
        try
        {
            response = await Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, context.RequestAborted).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw new ApiException(500, "InternalError", $"Get \"{location}\": {e.Message}");
        }

        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                var text = await response.Content.ReadAsStringAsync(context.RequestAborted).ConfigureAwait(false);
                throw (int)response.StatusCode switch
                {
                    400 => ApiException.BadRequest(text),
                    404 => new ApiException(404, "NotFound", text),
                    var code => new ApiException(code, code == 500 ? "InternalError" : "", text),
                };
            }

            context.Response.StatusCode = 200;
            context.Response.ContentType = "text/plain";
            await context.Response.StartAsync(context.RequestAborted).ConfigureAwait(false);
            await using var body = await response.Content.ReadAsStreamAsync(context.RequestAborted).ConfigureAwait(false);
            var buffer = new byte[16 * 1024];
            int read;
            // Flushed per read so that a followed log reaches kubectl as the node writes it.
            while ((read = await body.ReadAsync(buffer, context.RequestAborted).ConfigureAwait(false)) > 0)
            {
                await context.Response.Body.WriteAsync(buffer.AsMemory(0, read), context.RequestAborted).ConfigureAwait(false);
                await context.Response.Body.FlushAsync(context.RequestAborted).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Kubernetes' validateContainer: the only container when none is named, else the named one, which must exist.</summary>
    public static string ValidateContainer(string container, JsonObject pod, string podName)
    {
        var names = Names(pod["spec"]?["containers"]);
        var initNames = Names(pod["spec"]?["initContainers"]);
        var ephemeralNames = Names(pod["spec"]?["ephemeralContainers"]);
        if (container.Length == 0)
        {
            switch (names.Count)
            {
                case 1:
                    return names[0];
                case 0:
                    throw ApiException.BadRequest($"a container name must be specified for pod {podName}");
                default:
                    var message = $"a container name must be specified for pod {podName}, choose one of: [{string.Join(' ', names)}]";
                    if (initNames.Count > 0)
                    {
                        message += $" or one of the init containers: [{string.Join(' ', initNames)}]";
                    }

                    if (ephemeralNames.Count > 0)
                    {
                        message += $" or one of the ephemeral containers: [{string.Join(' ', ephemeralNames)}]";
                    }

                    throw ApiException.BadRequest(message);
            }
        }

        if (!names.Contains(container) && !initNames.Contains(container) && !ephemeralNames.Contains(container))
        {
            throw ApiException.BadRequest($"container {container} is not valid for pod {podName}");
        }

        return container;
    }

    private static Uri Location(JsonObject node, string nodeName, string ns, string pod, string container, IQueryCollection query)
    {
        var addresses = (node["status"]?["addresses"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        var host = AddressPreference
            .Select(type => addresses.FirstOrDefault(a => a["type"]?.ToString() == type)?["address"]?.ToString())
            .FirstOrDefault(a => !string.IsNullOrEmpty(a))
            ?? throw new ApiException(500, "InternalError", $"no preferred addresses found; known addresses: [] for node \"{nodeName}\"");
        var portNode = node["status"]?["daemonEndpoints"]?["kubeletEndpoint"]?["Port"];
        var port = portNode is JsonValue value && value.TryGetValue<long>(out var p) && p > 0 ? p : 10250;
        var parameters = PassedOn
            .Where(name => query[name].ToString() is { Length: > 0 } v && v != "false")
            .Select(name => $"{name}={Uri.EscapeDataString(query[name].ToString())}");
        var builder = new UriBuilder("http", host, (int)port, $"/containerLogs/{Uri.EscapeDataString(ns)}/{Uri.EscapeDataString(pod)}/{Uri.EscapeDataString(container)}")
        {
            Query = string.Join('&', parameters),
        };
        return builder.Uri;
    }

    private static List<string> Names(JsonNode? containers) =>
        [.. (containers as JsonArray ?? []).OfType<JsonObject>().Select(c => c["name"]?.ToString()).OfType<string>()];
}
