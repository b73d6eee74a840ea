using System.Buffers;
using System.Buffers.Binary;
using Google.Protobuf;
using MiniKube.Grpc.Protocol;

namespace MiniKube.Grpc.Client;

/// <summary>
/// Parses length-prefixed messages from a response body as it arrives: a read may end inside a
/// message or hold several. Never called concurrently (one per call).
/// </summary>
internal sealed class ResponseMessageReader(Stream stream, HttpResponseMessage response, int maxReceiveMessageSize, bool pooled) : IDisposable
{
    private const int InitialBufferSize = 4096;

    private byte[] _buffer = pooled ? ArrayPool<byte>.Shared.Rent(InitialBufferSize) : new byte[InitialBufferSize];
    private int _start;
    private int _end;
    private bool _endOfStream;

    /// <summary>The next message, or (false, default) when the body ended cleanly between messages.</summary>
    public async ValueTask<(bool Found, T? Message)> ReadAsync<T>(MessageParser<T> parser, CancellationToken cancellationToken)
        where T : IMessage<T>
    {
        if (!await FillAsync(GrpcProtocol.FrameHeaderSize, cancellationToken).ConfigureAwait(false))
        {
            return _end == _start
                ? (false, default)
                : throw new RpcException(StatusCode.Internal, "grpc: response ended inside a message header");
        }

        var flag = _buffer[_start];
        var length = BinaryPrimitives.ReadUInt32BigEndian(_buffer.AsSpan(_start + 1));
        var encoding = flag == 0 ? null : EncodingOf(response);
        if (MessageFraming.Validate(flag, length, maxReceiveMessageSize, encoding, isServer: false) is { } error)
        {
            throw new RpcException(error);
        }

        var frameSize = GrpcProtocol.FrameHeaderSize + (int)length;
        if (!await FillAsync(frameSize, cancellationToken).ConfigureAwait(false))
        {
            throw new RpcException(StatusCode.Internal, $"grpc: response ended inside a message ({_end - _start} of {frameSize} bytes)");
        }

        T message;
        try
        {
            message = parser.ParseFrom(_buffer.AsSpan(_start + GrpcProtocol.FrameHeaderSize, (int)length));
        }
        catch (InvalidProtocolBufferException ex)
        {
            throw new RpcException(new Status(StatusCode.Internal, "grpc: failed to unmarshal the received message: " + ex.Message), ex);
        }

        _start += frameSize;
        if (_start == _end)
        {
            _start = _end = 0;
        }

        return (true, message);
    }

    public void Dispose()
    {
        if (pooled)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
        }

        _buffer = [];
    }

    /// <summary>Buffers at least <paramref name="count"/> bytes from <see cref="_start"/>; false if the body ended first.</summary>
    private async ValueTask<bool> FillAsync(int count, CancellationToken cancellationToken)
    {
        if (_end - _start >= count)
        {
            return true;
        }

        if (_buffer.Length - _start < count)
        {
            Reserve(count);
        }

        while (_end - _start < count)
        {
            if (_endOfStream)
            {
                return false;
            }

            var read = await stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                _endOfStream = true;
                return false;
            }

            _end += read;
        }

        return true;
    }

    /// <summary>Makes room for <paramref name="count"/> bytes from the start of the buffer.</summary>
    private void Reserve(int count)
    {
        var buffered = _end - _start;
        if (count <= _buffer.Length)
        {
            _buffer.AsSpan(_start, buffered).CopyTo(_buffer);
        }
        else
        {
            var larger = pooled ? ArrayPool<byte>.Shared.Rent(count) : new byte[Math.Max(count, _buffer.Length * 2)];
            _buffer.AsSpan(_start, buffered).CopyTo(larger);
            if (pooled)
            {
                ArrayPool<byte>.Shared.Return(_buffer);
            }

            _buffer = larger;
        }

        _start = 0;
        _end = buffered;
    }

    private static string? EncodingOf(HttpResponseMessage response)
        => response.Headers.NonValidated.TryGetValues(GrpcProtocol.EncodingHeader, out var values) ? values.ToString() : null;
}
