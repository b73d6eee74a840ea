using MiniKube.Api.Core;

namespace MiniKube.Client.Events;

/// <summary>
/// The keys client-go's events_cache.go groups events by. client-go joins the fields with nothing between them;
/// a separator no name can contain keeps "ab"+"c" and "a"+"bc" apart.
/// </summary>
public static class EventKeys
{
    private const char Separator = '\0';

    /// <summary>Everything that makes two events the same occurrence: source, involved object, type, reason and message.</summary>
    public static string Event(Event e) => Join(
        e.Source?.Component, e.Source?.Host,
        e.InvolvedObject?.Kind, e.InvolvedObject?.Namespace, e.InvolvedObject?.Name, e.InvolvedObject?.FieldPath,
        e.InvolvedObject?.Uid, e.InvolvedObject?.ApiVersion,
        e.Type, e.Reason, e.Message);

    /// <summary>Who says it about what: the spam filter's token bucket is per source and involved object.</summary>
    public static string Spam(Event e) => Join(
        e.Source?.Component, e.Source?.Host,
        e.InvolvedObject?.Kind, e.InvolvedObject?.Namespace, e.InvolvedObject?.Name,
        e.InvolvedObject?.Uid, e.InvolvedObject?.ApiVersion);

    /// <summary>client-go's EventAggregatorByReasonFunc: events that differ only in message share the aggregate key;
    /// the message is the local key.</summary>
    public static (string Aggregate, string Local) ByReason(Event e) => (Join(
        e.Source?.Component, e.Source?.Host,
        e.InvolvedObject?.Kind, e.InvolvedObject?.Namespace, e.InvolvedObject?.Name,
        e.InvolvedObject?.Uid, e.InvolvedObject?.ApiVersion,
        e.Type, e.Reason, e.ReportingComponent, e.ReportingInstance), e.Message ?? "");

    private static string Join(params ReadOnlySpan<string?> parts) => string.Join(Separator, parts);
}
