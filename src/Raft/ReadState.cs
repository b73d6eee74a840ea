using Google.Protobuf;

namespace MiniKube.Raft;

/// <summary>
/// The answer to a ReadIndex request: once the host has applied up to <see cref="Index"/>, a read
/// for <see cref="RequestContext"/> sees every write committed before the request was made.
/// </summary>
public readonly record struct ReadState(ulong Index, ByteString RequestContext);
