namespace MiniKube.Grpc;

/// <summary>
/// Per-call settings. <paramref name="Deadline"/> is sent as grpc-timeout and enforced locally;
/// <paramref name="CancellationToken"/> cancels the call (the stream is reset);
/// <paramref name="Headers"/> are sent as request metadata.
/// </summary>
// CA1068: the token sits between deadline and headers because callers name what they set, e.g.
// new CallOptions(Deadline: d, CancellationToken: t); it is never a trailing positional argument.
#pragma warning disable CA1068
public readonly record struct CallOptions(DateTime? Deadline = null, CancellationToken CancellationToken = default, Metadata? Headers = null);
#pragma warning restore CA1068
