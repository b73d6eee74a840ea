namespace MiniKube.Grpc.Http2;

/// <summary>A header block that does not decode: the rewriter stops and leaves the error to Kestrel's own decoder.</summary>
internal sealed class HpackException(string message) : Exception(message);
