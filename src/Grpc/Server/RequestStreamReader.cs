using Google.Protobuf;

namespace MiniKube.Grpc.Server;

/// <summary>The request messages of a duplex call. Never called concurrently (one reader per call).</summary>
internal sealed class RequestStreamReader<T>(ServerCallContext call, MessageParser<T> parser) : IAsyncStreamReader<T>
    where T : IMessage<T>
{
    private T? _current;

    public T Current => _current ?? throw new InvalidOperationException("No message has been read yet.");

    public async Task<bool> MoveNext(CancellationToken cancellationToken = default)
    {
        var token = cancellationToken.CanBeCanceled ? cancellationToken : call.CancellationToken;
        var (found, message) = await RequestMessageReader.ReadAsync(call, parser, token).ConfigureAwait(false);
        if (found)
        {
            _current = message;
        }

        return found;
    }
}
