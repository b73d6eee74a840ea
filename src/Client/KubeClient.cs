using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using MiniKube.Api.Meta;
using MiniKube.Api.Resources;
using MiniKube.Api.Serialization;
using MiniKube.Client.Config;

namespace MiniKube.Client;

/// <summary>
/// A REST client for the apiserver (client-go's dynamic client and, in KubeClient.Typed.cs, its typed one).
/// Untyped calls take the <see cref="ApiResource"/> and carry JsonObjects, so any served resource works
/// (mkctl apply relies on this); errors are <see cref="KubeApiException"/>s. Thread-safe.
/// </summary>
public sealed partial class KubeClient : IDisposable
{
    private const string JsonMediaType = "application/json";

    private readonly HttpClient _http;

    public KubeClient(ClientConfig config, HttpMessageHandler? handler = null)
    {
        Config = config;
        handler ??= CreateHandler(config);
        // Watches stream for minutes, so the client has no overall timeout; each other request gets its own.
        _http = new HttpClient(handler, disposeHandler: true) { BaseAddress = config.Server, Timeout = Timeout.InfiniteTimeSpan };
        _http.DefaultRequestHeaders.UserAgent.ParseAdd(config.UserAgent);
        if (!string.IsNullOrEmpty(config.BearerToken))
        {
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", config.BearerToken);
        }
    }

    public ClientConfig Config { get; }

    /// <summary>The namespace of the kubeconfig's context, used by callers that were given none.</summary>
    public string DefaultNamespace => Config.Namespace;

    public static KubeClient FromKubeconfig(string? path = null, string? context = null) =>
        new(Kubeconfig.Load(path).Resolve(context));

    /// <summary>The REST path of a collection, an object or an object's subresource.</summary>
    public static string PathFor(ApiResource resource, string? @namespace, string? name = null, string? subresource = null)
    {
        var sb = new StringBuilder(resource.Group.Length == 0 ? "/api/" : $"/apis/{resource.Group}/");
        sb.Append(resource.Version);
        if (resource.Namespaced && !string.IsNullOrEmpty(@namespace))
        {
            sb.Append("/namespaces/").Append(Uri.EscapeDataString(@namespace));
        }

        sb.Append('/').Append(resource.Plural);
        if (!string.IsNullOrEmpty(name))
        {
            sb.Append('/').Append(Uri.EscapeDataString(name));
            if (!string.IsNullOrEmpty(subresource))
            {
                sb.Append('/').Append(subresource);
            }
        }

        return sb.ToString();
    }

    public Task<JsonObject> GetAsync(ApiResource resource, string? @namespace, string name, string? subresource = null, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Get, PathFor(resource, @namespace, name, subresource), null, null, cancellationToken);

    /// <summary>One page of a list (all namespaces when <paramref name="namespace"/> is null).</summary>
    public Task<JsonObject> ListAsync(ApiResource resource, string? @namespace, ListOptions? options = null, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Get, WithQuery(PathFor(resource, @namespace), (options ?? new ListOptions()).Query(watch: false)), null, null, cancellationToken);

    /// <summary>The apiserver's metav1.Table for a list or one object, as kubectl get asks for it.</summary>
    public Task<JsonObject> GetTableAsync(ApiResource resource, string? @namespace, string? name, ListOptions? options = null, CancellationToken cancellationToken = default)
    {
        var path = WithQuery(PathFor(resource, @namespace, name), name is null ? (options ?? new ListOptions()).Query(watch: false) : []);
        return SendAsync(HttpMethod.Get, path, null, null, cancellationToken, accept: "application/json;as=Table;v=v1;g=meta.k8s.io,application/json");
    }

    public Task<JsonObject> CreateAsync(ApiResource resource, string? @namespace, JsonObject body, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, PathFor(resource, @namespace), body.ToJsonString(), JsonMediaType, cancellationToken);

    /// <summary>PUT of the whole object (its metadata.resourceVersion makes it a compare-and-swap).</summary>
    public Task<JsonObject> UpdateAsync(ApiResource resource, string? @namespace, JsonObject body, string? subresource = null, CancellationToken cancellationToken = default)
    {
        var name = body["metadata"]?["name"]?.GetValue<string>() ?? throw new ArgumentException("the object has no metadata.name", nameof(body));
        return SendAsync(HttpMethod.Put, PathFor(resource, @namespace, name, subresource), body.ToJsonString(), JsonMediaType, cancellationToken);
    }

    public Task<JsonObject> PatchAsync(ApiResource resource, string? @namespace, string name, PatchType patchType, string body,
        string? subresource = null, string? fieldManager = null, bool? force = null, CancellationToken cancellationToken = default)
    {
        var query = new List<(string, string)>();
        if (fieldManager is not null)
        {
            query.Add(("fieldManager", fieldManager));
        }

        if (force is { } f)
        {
            query.Add(("force", f ? "true" : "false"));
        }

        var mediaType = patchType switch
        {
            PatchType.Merge => "application/merge-patch+json",
            PatchType.Json => "application/json-patch+json",
            PatchType.StrategicMerge => "application/strategic-merge-patch+json",
            _ => "application/apply-patch+yaml",
        };
        return SendAsync(HttpMethod.Patch, WithQuery(PathFor(resource, @namespace, name, subresource), query), body, mediaType, cancellationToken);
    }

    /// <summary>Deletes one object; the answer is the object (still there while finalizers or grace run) or a Status.</summary>
    public Task<JsonObject> DeleteAsync(ApiResource resource, string? @namespace, string name, DeleteOptions? options = null, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Delete, PathFor(resource, @namespace, name), options is null ? null : ApiJson.Serialize(options), JsonMediaType, cancellationToken);

    public Task<JsonObject> DeleteCollectionAsync(ApiResource resource, string? @namespace, ListOptions? listOptions = null, DeleteOptions? options = null, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Delete, WithQuery(PathFor(resource, @namespace), (listOptions ?? new ListOptions()).Query(watch: false)),
            options is null ? null : ApiJson.Serialize(options), JsonMediaType, cancellationToken);

    /// <summary>
    /// Watches a collection: the events of the JSON-lines stream until the server ends it (timeoutSeconds) or
    /// <paramref name="cancellationToken"/> fires. An expired resourceVersion shows up as an ERROR event with a 410
    /// Status, or as a <see cref="KubeApiException"/> when the server refuses before streaming.
    /// </summary>
    public async IAsyncEnumerable<Api.Meta.WatchEvent> WatchAsync(ApiResource resource, string? @namespace, ListOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var line in WatchLinesAsync(resource, @namespace, options, cancellationToken).ConfigureAwait(false))
        {
            yield return JsonSerializer.Deserialize<Api.Meta.WatchEvent>(line, ApiJson.Options)
                ?? throw new KubeApiException($"the watch stream sent a null event");
        }
    }

    /// <summary>The watch stream's JSON lines, one event each, empty lines left out.</summary>
    private async IAsyncEnumerable<string> WatchLinesAsync(ApiResource resource, string? @namespace, ListOptions? options,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, WithQuery(PathFor(resource, @namespace), (options ?? new ListOptions()).Query(watch: true)));
        request.Headers.Accept.ParseAdd(JsonMediaType);
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw await ErrorFromAsync(response, cancellationToken).ConfigureAwait(false);
        }

        using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            if (line.Length > 0)
            {
                yield return line;
            }
        }
    }

    /// <summary>GET of any path (discovery, /version), as JSON.</summary>
    public Task<JsonObject> GetRawAsync(string path, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Get, path, null, null, cancellationToken);

    public void Dispose() => _http.Dispose();

    private static SocketsHttpHandler CreateHandler(ClientConfig config)
    {
        var handler = new SocketsHttpHandler { PooledConnectionIdleTimeout = TimeSpan.FromSeconds(90) };
        if (config.InsecureSkipTlsVerify)
        {
#pragma warning disable CA5359 // the kubeconfig asked for it (insecure-skip-tls-verify), as kubectl honours it
            handler.SslOptions.RemoteCertificateValidationCallback = (_, _, _, _) => true;
#pragma warning restore CA5359
        }

        return handler;
    }

    private static string WithQuery(string path, IEnumerable<(string Name, string Value)> query)
    {
        var parts = query.Select(q => $"{q.Name}={Uri.EscapeDataString(q.Value)}").ToList();
        return parts.Count == 0 ? path : $"{path}?{string.Join('&', parts)}";
    }

    private async Task<JsonObject> SendAsync(HttpMethod method, string path, string? body, string? mediaType, CancellationToken cancellationToken,
        string accept = JsonMediaType)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Config.RequestTimeout);
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Accept.ParseAdd(accept);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue(mediaType ?? JsonMediaType);
        }

        using var response = await _http.SendAsync(request, timeout.Token).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw await ErrorFromAsync(response, timeout.Token).ConfigureAwait(false);
        }

        var bytes = await response.Content.ReadAsByteArrayAsync(timeout.Token).ConfigureAwait(false);
        return JsonNode.Parse(bytes) as JsonObject ?? throw new KubeApiException($"{method} {path}: the server's answer is not a JSON object");
    }

    private static async Task<KubeApiException> ErrorFromAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (JsonNode.Parse(text) is JsonObject obj && (string?)obj["kind"] == "Status")
            {
                var status = ApiJson.FromNode<Status>(obj);
                status.Code ??= (int)response.StatusCode;
                return new KubeApiException(status);
            }
        }
        catch (JsonException)
        {
            // Not a Status: fall through to one made from the HTTP answer, as client-go does.
        }

        var code = (int)response.StatusCode;
        return new KubeApiException(new Status
        {
            Kind = "Status",
            ApiVersion = "v1",
            StatusValue = Status.Failure,
            Code = code,
            Reason = ReasonFor(code),
            Message = string.IsNullOrWhiteSpace(text) ? $"the server responded with the status code {code}" : text.Trim(),
        });
    }

    private static string ReasonFor(int code) => code switch
    {
        400 => "BadRequest",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "NotFound",
        405 => "MethodNotAllowed",
        409 => "Conflict",
        410 => "Expired",
        415 => "UnsupportedMediaType",
        422 => "Invalid",
        429 => "TooManyRequests",
        503 => "ServiceUnavailable",
        504 => "Timeout",
        _ => "InternalError",
    };
}
