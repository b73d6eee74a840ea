using System.Buffers;
using System.Text.Json;
using MiniKube.ApiServer.Errors;
using MiniKube.ApiServer.Registry;
using MiniKube.ApiServer.Storage;

namespace MiniKube.ApiServer.Endpoints;

public sealed partial class ResourceHandler
{
    /// <summary>Kubernetes ends a watch after a random time between this and twice this, unless timeoutSeconds says otherwise.</summary>
    private static readonly TimeSpan MinRequestTimeout = TimeSpan.FromMinutes(30);

    private static readonly byte[] NewLine = "\n"u8.ToArray();

    /// <summary>
    /// A watch: a chunked stream of <c>{"type":…,"object":…}</c> lines, one per event, flushed as
    /// they happen; it ends at timeoutSeconds, when the client leaves, or after an ERROR event.
    /// </summary>
    private async Task WatchAsync(HttpContext context, ResourceStore store, RequestInfo info)
    {
        var resourceVersion = Query(context, "resourceVersion");
        long startRevision = 0;
        if (!string.IsNullOrEmpty(resourceVersion) && !ObjectMetadata.TryParseResourceVersion(resourceVersion, out startRevision))
        {
            throw ApiException.BadRequest($"invalid resource version: {resourceVersion}");
        }

        var timeout = ParseLong(context, "timeoutSeconds") is { } seconds
            ? TimeSpan.FromSeconds(Math.Max(0, seconds))
            : MinRequestTimeout * (1 + Random.Shared.NextDouble());
        var name = info.Name;
        var predicate = Predicate(context, store.Resource);
        var options = new WatchOptions
        {
            ResourceVersion = startRevision,
            Predicate = predicate,
            AllowBookmarks = ParseBool(context, "allowWatchBookmarks"),
        };
        var asTable = MediaTypes.WantsTable(context.Request.Headers.Accept.ToString());
        using var tracked = metrics.TrackWatch(info);
        await using var watch = await store.WatchAsync(info.Namespace, name, options, context.RequestAborted).ConfigureAwait(false);

        var response = context.Response;
        response.StatusCode = 200;
        response.ContentType = MediaTypes.Json;
        response.Headers.CacheControl = "no-cache, private";
        await response.StartAsync(context.RequestAborted).ConfigureAwait(false);
        await response.Body.FlushAsync(context.RequestAborted).ConfigureAwait(false);

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping);
        deadline.CancelAfter(timeout);
        var first = true;
        var buffer = new ArrayBufferWriter<byte>(4096);
        using var json = new Utf8JsonWriter(buffer);
        try
        {
            await foreach (var e in watch.Events.ReadAllAsync(deadline.Token).ConfigureAwait(false))
            {
                var obj = e.Item;
                if (asTable && e.Type is not (WatchEventType.Error or WatchEventType.Bookmark))
                {
                    obj = tables.ToTable(store.Resource, [obj], ObjectMetadata.ResourceVersion(obj), null, IncludeObject(context), withColumns: first);
                    first = false;
                }
                else if (e.Type == WatchEventType.Bookmark)
                {
                    obj["kind"] = store.Resource.Kind;
                    obj["apiVersion"] = store.Resource.ApiVersion;
                }

                // Written around the object, not by wrapping it in a new node: that needed a deep copy per watcher
                // and event, since a node has one parent and the cache shares its objects among watchers.
                buffer.ResetWrittenCount();
                json.Reset(buffer);
                json.WriteStartObject();
                json.WriteString("type", e.Type.ToString().ToUpperInvariant());
                json.WritePropertyName("object");
                if (!e.EncodedItem.IsEmpty && ReferenceEquals(obj, e.Item))
                {
                    json.WriteRawValue(e.EncodedItem.Span, skipInputValidation: true);
                }
                else
                {
                    obj.WriteTo(json);
                }

                json.WriteEndObject();
                json.Flush();
                buffer.Write(NewLine);
                await response.Body.WriteAsync(buffer.WrittenMemory, deadline.Token).ConfigureAwait(false);
                // One flush (a chunk on the wire) per burst of events rather than per event.
                if (!watch.Events.TryPeek(out _))
                {
                    await response.Body.FlushAsync(deadline.Token).ConfigureAwait(false);
                }

                if (e.Type == WatchEventType.Error)
                {
                    break;
                }
            }
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            // Timed out or the client left: the stream simply ends.
        }
    }
}
