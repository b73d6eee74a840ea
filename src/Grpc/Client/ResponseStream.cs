using Google.Protobuf;

namespace MiniKube.Grpc.Client;

internal sealed class ResponseStream<T>(StreamingCall call, MessageParser<T> parser) : IAsyncStreamReader<T>
    where T : IMessage<T>
{
    private T? _current;

    public T Current => _current ?? throw new InvalidOperationException("No message has been read yet.");

    public async Task<bool> MoveNext(CancellationToken cancellationToken = default)
    {
        var (found, message) = await call.ReadAsync(parser, cancellationToken).ConfigureAwait(false);
        if (found)
        {
            _current = message;
        }

        return found;
    }
}
