using Google.Protobuf;

namespace MiniKube.Grpc.Client;

/// <summary>
/// The state of one server-streaming or duplex call: the HTTP exchange, the response reader and,
/// once the call ended, its status and trailers. Reads are never concurrent with each other;
/// <see cref="Dispose"/> may race with a read, which then fails with Cancelled.
/// </summary>
internal sealed class StreamingCall : IDisposable
{
    private readonly CallCancellation _cancellation;
    private readonly int _maxReceiveMessageSize;
    private HttpResponseMessage? _response;
    private ResponseMessageReader? _reader;
    private Task<Metadata>? _headers;
    private Status? _status;
    private Metadata? _trailers;
    private readonly CancellationTokenRegistration _abortRegistration;

    public StreamingCall(HttpMessageInvoker invoker, HttpRequestMessage request, CallCancellation cancellation, int maxReceiveMessageSize)
    {
        _cancellation = cancellation;
        _maxReceiveMessageSize = maxReceiveMessageSize;
        // A deadline already past fails the call without sending it, as grpc-go does.
        Response = cancellation.DeadlinePassed
            ? Task.FromException<HttpResponseMessage>(new OperationCanceledException())
            : invoker.SendAsync(request, cancellation.Token);

        // Once response headers are in, cancelling the token only cancels a pending read; disposing
        // the response is what resets the HTTP/2 stream, so that the server sees the cancellation.
        _abortRegistration = cancellation.Token.UnsafeRegister(static state => ((StreamingCall)state!).ReleaseResponse(), this);
    }

    /// <summary>Completes when the response headers arrived (HttpClient returns before the body).</summary>
    public Task<HttpResponseMessage> Response { get; }

    public CallCancellation Cancellation => _cancellation;

    public Task<Metadata> ResponseHeadersAsync => _headers ??= ReadHeadersAsync();

    /// <summary>The final status, once the response stream has ended.</summary>
    public Status? FinalStatus => _status;

    public Status GetStatus()
        => _status ?? throw new InvalidOperationException("The call has not finished: read the response stream to its end first.");

    public Metadata GetTrailers()
        => _status is null ? throw new InvalidOperationException("The call has not finished: read the response stream to its end first.") : _trailers ?? new Metadata();

    public async Task<(bool Found, T? Message)> ReadAsync<T>(MessageParser<T> parser, CancellationToken cancellationToken)
        where T : IMessage<T>
    {
        if (_status is { } done)
        {
            return done.StatusCode == StatusCode.OK ? (false, default) : throw new RpcException(done);
        }

        // Cancelling one read cancels the call, as in grpc: a stream cannot resume mid-message.
        using var registration = cancellationToken.CanBeCanceled
            ? cancellationToken.UnsafeRegister(static state => ((CallCancellation)state!).CancelByOperation(), _cancellation)
            : default;
        try
        {
            if (_reader is null)
            {
                var response = await Response.ConfigureAwait(false);
                _response = response;
                if (ResponseStatus.FromHeaders(response) is { } early)
                {
                    return Finish<T>(early, ResponseStatus.ToMetadata(response.Headers));
                }

                var body = await response.Content.ReadAsStreamAsync(_cancellation.Token).ConfigureAwait(false);
                _reader = new ResponseMessageReader(body, response, _maxReceiveMessageSize, pooled: false);
            }

            var (found, message) = await _reader.ReadAsync(parser, _cancellation.Token).ConfigureAwait(false);
            return found
                ? (true, message)
                : Finish<T>(ResponseStatus.FromTrailers(_response!), ResponseStatus.ToMetadata(_response!.TrailingHeaders));
        }
        catch (Exception ex)
        {
            var status = ClientErrors.StatusFor(ex, _cancellation);
            _status ??= status;
            _trailers ??= new Metadata();
            throw ex is RpcException rpc ? rpc : new RpcException(status, ex);
        }
    }

    private (bool, T?) Finish<T>(Status status, Metadata trailers)
    {
        _status = status;
        _trailers = trailers;
        return status.StatusCode == StatusCode.OK ? (false, default) : throw new RpcException(status);
    }

    private async Task<Metadata> ReadHeadersAsync()
    {
        try
        {
            var response = await Response.ConfigureAwait(false);
            return ResponseStatus.ToMetadata(response.Headers, response.Content.Headers);
        }
        catch (Exception ex)
        {
            throw new RpcException(ClientErrors.StatusFor(ex, _cancellation), ex);
        }
    }

    public void Dispose()
    {
        if (_status is null)
        {
            // Resets the HTTP/2 stream (RST_STREAM CANCEL) through the registration, and fails any read in progress.
            _cancellation.CancelByDispose();
        }

        _abortRegistration.Dispose();
        ReleaseResponse();
        _cancellation.Dispose();
    }

    private void ReleaseResponse()
    {
        if (Response.IsCompleted)
        {
            if (Response.IsCompletedSuccessfully)
            {
                Response.Result.Dispose();
            }

            return;
        }

        // Observe a late failure, and release a late response.
        _ = Response.ContinueWith(
            static task =>
            {
                if (task.IsCompletedSuccessfully)
                {
                    task.Result.Dispose();
                }
                else
                {
                    _ = task.Exception;
                }
            },
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }
}
