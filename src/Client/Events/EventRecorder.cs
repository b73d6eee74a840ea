using System.Security.Cryptography;
using MiniKube.Api.Core;
using MiniKube.Api.Meta;

namespace MiniKube.Client.Events;

/// <summary>
/// client-go's record.EventRecorder in miniature: writes core/v1 Events about an object (what
/// `kubectl describe` shows under Events). Events pass an <see cref="EventCorrelator"/> first, as client-go's do:
/// repeats become count patches, similar ones aggregate, and a source's spam about one object is dropped.
/// Recording never blocks or fails the caller: events are written in the background, and one that cannot be
/// written is dropped (reported to onDropped), as client-go drops them.
/// </summary>
public sealed class EventRecorder(KubeClient client, string component, string? host = null, TimeProvider? time = null, Action<string>? onDropped = null,
    EventCorrelator? correlator = null)
{
    public const string Normal = "Normal";
    public const string Warning = "Warning";

    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly EventCorrelator _correlator = correlator ?? new EventCorrelator(time);

    // The last write per correlation key: a patch must reach the server after the create it patches.
    private readonly Dictionary<string, Task> _pendingWrites = [];
    private readonly Lock _pendingLock = new();

    /// <summary>Records an event about <paramref name="involved"/>; the returned task completes once it is written or dropped.</summary>
    public Task Event(IKubernetesObject involved, string type, string reason, string message) =>
        Event(ReferenceTo(involved), type, reason, message);

    public Task Event(ObjectReference involved, string type, string reason, string message)
    {
        var now = _time.GetUtcNow();
        var suffix = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        var recorded = new Event
        {
            ApiVersion = "v1",
            Kind = "Event",
            Metadata = new ObjectMeta { Name = $"{involved.Name}.{suffix}", Namespace = involved.Namespace ?? "default" },
            InvolvedObject = involved,
            Type = type,
            Reason = reason,
            Message = message,
            Source = new EventSource { Component = component, Host = host },
            FirstTimestamp = now,
            LastTimestamp = now,
            Count = 1,
            ReportingComponent = component,
            ReportingInstance = host ?? component,
        };
        lock (_pendingLock)
        {
            // Correlating and queueing the write are one step: two events recorded at once (a ReplicaSet's parallel
            // creates) must reach the server in the order their counts were taken, or a patch to count 2 can land
            // after the one to count 3 (CI once saw an aggregate stay at x2). client-go does both on one goroutine.
            var result = _correlator.Correlate(recorded);
            if (result.Skip)
            {
                return Task.CompletedTask;
            }

            var previous = _pendingWrites.GetValueOrDefault(result.Key) ?? Task.CompletedTask;
            var write = WriteAfterAsync(previous, result);
            _pendingWrites[result.Key] = write;
            _ = write.ContinueWith(
                done =>
                {
                    lock (_pendingLock)
                    {
                        if (_pendingWrites.GetValueOrDefault(result.Key) == done)
                        {
                            _pendingWrites.Remove(result.Key);
                        }
                    }
                },
                CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default);
            return write;
        }
    }

    private async Task WriteAfterAsync(Task previous, EventCorrelateResult result)
    {
        await previous.ConfigureAwait(false);
        var e = result.Event;
        try
        {
            Event? written = null;
            if (result.Patch is { } patch)
            {
                try
                {
                    written = await client.PatchAsync<Event>(e.Metadata?.Namespace, e.Metadata?.Name ?? "", PatchType.StrategicMerge, patch).ConfigureAwait(false);
                }
                catch (KubeApiException notFound) when (notFound.IsNotFound)
                {
                    // The Event expired or was deleted: write it anew, with its count (client-go does the same).
                }
            }

            if (written is null)
            {
                e.Metadata!.ResourceVersion = null;
                written = await client.CreateAsync(e).ConfigureAwait(false);
            }

            _correlator.UpdateState(result.Key, written);
        }
        catch (Exception failure) when (failure is KubeApiException or HttpRequestException or OperationCanceledException)
        {
            onDropped?.Invoke($"dropped event {e.Reason} about {e.InvolvedObject?.Kind} {e.InvolvedObject?.Namespace}/{e.InvolvedObject?.Name}: {failure.Message}");
        }
    }

    public static ObjectReference ReferenceTo(IKubernetesObject obj) => new()
    {
        ApiVersion = obj.ApiVersion,
        Kind = obj.Kind,
        Namespace = obj.Metadata?.Namespace,
        Name = obj.Metadata?.Name,
        Uid = obj.Metadata?.Uid,
        ResourceVersion = obj.Metadata?.ResourceVersion,
    };
}
