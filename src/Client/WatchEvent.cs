using MiniKube.Api.Meta;

namespace MiniKube.Client;

/// <summary>One event of a typed watch. <see cref="Object"/> is null only for ERROR events, which carry
/// <see cref="Error"/> instead; a BOOKMARK's object holds nothing but its resourceVersion.</summary>
#pragma warning disable CA1720 // k8s names the field object
public sealed record WatchEvent<T>(WatchEventType Type, T? Object, Status? Error = null)
    where T : class;
#pragma warning restore CA1720
