using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using MiniKube.Api.Autoscaling;
using MiniKube.Api.Core;
using MiniKube.Api.Meta;
using MiniKube.Api.Resources;
using MiniKube.Api.Serialization;

namespace MiniKube.Client;

/// <summary>The typed calls: the resource comes from the CLR type (Pod → pods), objects go through ApiJson.</summary>
public sealed partial class KubeClient
{
    public static ApiResource ResourceOf<T>() =>
        ApiResources.FindByClrType(typeof(T)) ?? throw new ArgumentException($"{typeof(T).Name} is not a served kind");

    public async Task<T> GetAsync<T>(string? @namespace, string name, CancellationToken cancellationToken = default)
        where T : class, IKubernetesObject =>
        ApiJson.FromNode<T>(await GetAsync(ResourceOf<T>(), @namespace, name, null, cancellationToken).ConfigureAwait(false));

    /// <summary>One page of objects (every namespace when <paramref name="namespace"/> is null).</summary>
    public async Task<ObjectList<T>> ListAsync<T>(string? @namespace, ListOptions? options = null, CancellationToken cancellationToken = default)
        where T : class, IKubernetesObject
    {
        var list = await ListAsync(ResourceOf<T>(), @namespace, options, cancellationToken).ConfigureAwait(false);
        var items = (list["items"] as JsonArray ?? []).Where(i => i is not null).Select(i => ApiJson.FromNode<T>(i!)).ToList();
        var metadata = list["metadata"];
        var cont = (string?)metadata?["continue"];
        return new ObjectList<T>(items, (string?)metadata?["resourceVersion"] ?? "", string.IsNullOrEmpty(cont) ? null : cont);
    }

    public async IAsyncEnumerable<WatchEvent<T>> WatchAsync<T>(string? @namespace, ListOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
        where T : class, IKubernetesObject
    {
        await foreach (var line in WatchLinesAsync(ResourceOf<T>(), @namespace, options, cancellationToken).ConfigureAwait(false))
        {
            yield return ParseWatchEvent<T>(line);
        }
    }

    /// <summary>
    /// One line of a watch stream, its object read straight into <typeparamref name="T"/>. Going through a JsonNode tree
    /// (as the untyped watch does) builds the tree, writes it out again and parses that a second time: for an informer
    /// over thousands of pods that was most of the cost of each event.
    /// </summary>
    public static WatchEvent<T> ParseWatchEvent<T>(string line)
        where T : class, IKubernetesObject
    {
        using var document = JsonDocument.Parse(line);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new KubeApiException("the watch stream sent a null event");
        }

        var typeName = root.TryGetProperty("type", out var typeElement) && typeElement.ValueKind == JsonValueKind.String ? typeElement.GetString() : null;
        var type = typeName switch
        {
            Api.Meta.WatchEvent.Added => WatchEventType.Added,
            Api.Meta.WatchEvent.Modified => WatchEventType.Modified,
            Api.Meta.WatchEvent.Deleted => WatchEventType.Deleted,
            Api.Meta.WatchEvent.Bookmark => WatchEventType.Bookmark,
            _ => WatchEventType.Error,
        };
        if (!root.TryGetProperty("object", out var obj) || obj.ValueKind == JsonValueKind.Null)
        {
            return new WatchEvent<T>(WatchEventType.Error, null, new Status { Code = 500, Message = $"watch event {typeName} without an object" });
        }

        return type == WatchEventType.Error
            ? new WatchEvent<T>(WatchEventType.Error, null, obj.Deserialize<Status>(ApiJson.Options))
            : new WatchEvent<T>(type, obj.Deserialize<T>(ApiJson.Options) ?? throw new KubeApiException($"the watch stream sent a {typeName} event with a null object"));
    }

    public Task<T> CreateAsync<T>(T obj, CancellationToken cancellationToken = default)
        where T : class, IKubernetesObject =>
        Typed(obj, (r, ns, body) => CreateAsync(r, ns, body, cancellationToken));

    /// <summary>PUT; fails with a conflict when obj's resourceVersion is not the stored one.</summary>
    public Task<T> UpdateAsync<T>(T obj, CancellationToken cancellationToken = default)
        where T : class, IKubernetesObject =>
        Typed(obj, (r, ns, body) => UpdateAsync(r, ns, body, null, cancellationToken));

    public Task<T> UpdateStatusAsync<T>(T obj, CancellationToken cancellationToken = default)
        where T : class, IKubernetesObject =>
        Typed(obj, (r, ns, body) => UpdateAsync(r, ns, body, "status", cancellationToken));

    public async Task<T> PatchAsync<T>(string? @namespace, string name, PatchType patchType, string body, string? subresource = null,
        CancellationToken cancellationToken = default)
        where T : class, IKubernetesObject =>
        ApiJson.FromNode<T>(await PatchAsync(ResourceOf<T>(), @namespace, name, patchType, body, subresource, cancellationToken: cancellationToken).ConfigureAwait(false));

    /// <summary>Deletes; the object while it lingers (finalizers, graceful deletion), or null once it is gone.</summary>
    public async Task<T?> DeleteAsync<T>(string? @namespace, string name, DeleteOptions? options = null, CancellationToken cancellationToken = default)
        where T : class, IKubernetesObject
    {
        var answer = await DeleteAsync(ResourceOf<T>(), @namespace, name, options, cancellationToken).ConfigureAwait(false);
        return (string?)answer["kind"] == "Status" ? null : ApiJson.FromNode<T>(answer);
    }

    public async Task<Scale> GetScaleAsync<T>(string? @namespace, string name, CancellationToken cancellationToken = default)
        where T : class, IKubernetesObject =>
        ApiJson.FromNode<Scale>(await GetAsync(ResourceOf<T>(), @namespace, name, "scale", cancellationToken).ConfigureAwait(false));

    /// <summary>Sets spec.replicas through the scale subresource (a merge patch, so no resourceVersion is needed).</summary>
    public async Task<Scale> ScaleAsync<T>(string? @namespace, string name, int replicas, CancellationToken cancellationToken = default)
        where T : class, IKubernetesObject
    {
        var patch = new JsonObject { ["spec"] = new JsonObject { ["replicas"] = replicas } }.ToJsonString();
        return ApiJson.FromNode<Scale>(await PatchAsync(ResourceOf<T>(), @namespace, name, PatchType.Merge, patch, "scale", cancellationToken: cancellationToken).ConfigureAwait(false));
    }

    /// <summary>Binds a pod to a node (POST pods/{name}/binding), as the scheduler does.</summary>
    public async Task BindAsync(string @namespace, string podName, string nodeName, CancellationToken cancellationToken = default)
    {
        var binding = ApiResources.WithTypeMeta(new Binding
        {
            Metadata = new ObjectMeta { Name = podName, Namespace = @namespace },
            Target = new ObjectReference { ApiVersion = "v1", Kind = "Node", Name = nodeName },
        });
        await SendAsync(HttpMethod.Post, PathFor(ApiResources.Pods, @namespace, podName, "binding"), ApiJson.Serialize(binding), JsonMediaType, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<T> Typed<T>(T obj, Func<ApiResource, string?, JsonObject, Task<JsonObject>> call)
        where T : class, IKubernetesObject
    {
        var resource = ResourceOf<T>();
        ApiResources.WithTypeMeta(obj);
        var body = ApiJson.ToNode(obj).AsObject();
        var answer = await call(resource, obj.Metadata?.Namespace, body).ConfigureAwait(false);
        return ApiJson.FromNode<T>(answer);
    }
}
