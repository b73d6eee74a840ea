using System.Security.Cryptography;
using MiniKube.Api.Core;
using MiniKube.Api.Meta;

namespace MiniKube.Client.Events;

/// <summary>
/// client-go's record.EventRecorder in miniature: writes core/v1 Events about an object (what
/// `kubectl describe` shows under Events). Recording never blocks or fails the caller: events are
/// written in the background, and one that cannot be written is dropped (reported to onDropped), as client-go
/// drops them.
/// </summary>
public sealed class EventRecorder(KubeClient client, string component, string? host = null, TimeProvider? time = null, Action<string>? onDropped = null)
{
    public const string Normal = "Normal";
    public const string Warning = "Warning";

    private readonly TimeProvider _time = time ?? TimeProvider.System;

    /// <summary>Records an event about <paramref name="involved"/>; the returned task completes once it is written or dropped.</summary>
    public Task Event(IKubernetesObject involved, string type, string reason, string message) =>
        Event(ReferenceTo(involved), type, reason, message);

    public async Task Event(ObjectReference involved, string type, string reason, string message)
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
        try
        {
            await client.CreateAsync(recorded).ConfigureAwait(false);
        }
        catch (Exception e) when (e is KubeApiException or HttpRequestException or OperationCanceledException)
        {
            onDropped?.Invoke($"dropped event {reason} about {involved.Kind} {involved.Namespace}/{involved.Name}: {e.Message}");
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
