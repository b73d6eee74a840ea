using System.Collections.Concurrent;
using System.Net;
using Google.Protobuf;
using MiniKube.Grpc.Client;
using MiniKube.Grpc.Protocol;

namespace MiniKube.Grpc;

/// <summary>
/// A client for one server address. Calls are multiplexed as HTTP/2 streams over one connection
/// (more only when the server's stream limit is reached); for http:// addresses HTTP/2 is spoken
/// with prior knowledge, for https:// it is negotiated by ALPN. Thread-safe; meant to be long-lived.
/// </summary>
public sealed class GrpcChannel : IDisposable
{
    private readonly HttpMessageInvoker _invoker;
    private readonly int _maxReceiveMessageSize;
    private readonly ConcurrentDictionary<(string Service, string Method), Uri> _uris = new();
    private volatile bool _disposed;

    private GrpcChannel(Uri address, GrpcChannelOptions options)
    {
        Address = address;
        _maxReceiveMessageSize = options.MaxReceiveMessageSize;
        var handler = options.HttpHandler ?? new SocketsHttpHandler
        {
            // Extra connections only as overflow once one connection hits the server's stream limit.
            EnableMultipleHttp2Connections = true,
            ConnectTimeout = options.ConnectTimeout,
            KeepAlivePingDelay = options.KeepAlivePingDelay,
            KeepAlivePingTimeout = options.KeepAlivePingTimeout,
            KeepAlivePingPolicy = HttpKeepAlivePingPolicy.WithActiveRequests,
            PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,
            InitialHttp2StreamWindowSize = 1024 * 1024,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
            UseProxy = false,
        };

        // HttpMessageInvoker rather than HttpClient: no per-request timeout source or default headers.
        _invoker = new HttpMessageInvoker(handler, disposeHandler: options.HttpHandler is null);
    }

    public Uri Address { get; }

    public static GrpcChannel ForAddress(Uri address, GrpcChannelOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (!address.IsAbsoluteUri || (address.Scheme != Uri.UriSchemeHttp && address.Scheme != Uri.UriSchemeHttps))
        {
            throw new ArgumentException("The address must be an absolute http:// or https:// URI.", nameof(address));
        }

        return new GrpcChannel(address, options ?? new GrpcChannelOptions());
    }

    public async Task<TResponse> UnaryAsync<TRequest, TResponse>(Method<TRequest, TResponse> method, TRequest request, CallOptions options = default)
        where TRequest : IMessage<TRequest>
        where TResponse : IMessage<TResponse>
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(request);
        ObjectDisposedException.ThrowIf(_disposed, this);

        using var cancellation = CallCancellation.ForUnary(options);
        if (cancellation.DeadlinePassed)
        {
            throw new RpcException(StatusCode.DeadlineExceeded, GrpcProtocol.DeadlineExceededDetail);
        }

        using var httpRequest = CreateRequest(method.ServiceName, method.Name, options, cancellation, new UnaryRequestContent(request));
        HttpResponseMessage? response = null;
        ResponseMessageReader? reader = null;
        try
        {
            response = await _invoker.SendAsync(httpRequest, cancellation.Token).ConfigureAwait(false);
            if (ResponseStatus.FromHeaders(response) is { } early)
            {
                throw new RpcException(early.StatusCode == StatusCode.OK ? NoResponseMessage : early);
            }

            var body = await response.Content.ReadAsStreamAsync(cancellation.Token).ConfigureAwait(false);
            reader = new ResponseMessageReader(body, response, _maxReceiveMessageSize, pooled: true);
            var (found, message) = await reader.ReadAsync(method.ResponseParser, cancellation.Token).ConfigureAwait(false);
            if (found && (await reader.ReadAsync(method.ResponseParser, cancellation.Token).ConfigureAwait(false)).Found)
            {
                throw new RpcException(StatusCode.Internal, "cardinality violation: expected <EOF> for non server-streaming RPCs, but received another message");
            }

            var status = ResponseStatus.FromTrailers(response);
            return status.StatusCode != StatusCode.OK ? throw new RpcException(status)
                : found ? message! : throw new RpcException(NoResponseMessage);
        }
        catch (Exception ex) when (ex is not RpcException)
        {
            throw new RpcException(ClientErrors.StatusFor(ex, cancellation), ex);
        }
        finally
        {
            reader?.Dispose();
            response?.Dispose();
        }
    }

    public ServerStreamingCall<TResponse> ServerStreaming<TRequest, TResponse>(Method<TRequest, TResponse> method, TRequest request, CallOptions options = default)
        where TRequest : IMessage<TRequest>
        where TResponse : IMessage<TResponse>
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(request);
        ObjectDisposedException.ThrowIf(_disposed, this);

        var cancellation = CallCancellation.ForStream(options);
        var httpRequest = CreateRequest(method.ServiceName, method.Name, options, cancellation, new UnaryRequestContent(request));
        var call = new StreamingCall(_invoker, httpRequest, cancellation, _maxReceiveMessageSize);
        return new ServerStreamingCall<TResponse>(call, new ResponseStream<TResponse>(call, method.ResponseParser));
    }

    public DuplexStreamingCall<TRequest, TResponse> DuplexStreaming<TRequest, TResponse>(Method<TRequest, TResponse> method, CallOptions options = default)
        where TRequest : IMessage<TRequest>
        where TResponse : IMessage<TResponse>
    {
        ArgumentNullException.ThrowIfNull(method);
        ObjectDisposedException.ThrowIf(_disposed, this);

        var cancellation = CallCancellation.ForStream(options);
        var content = new DuplexRequestContent();
        var httpRequest = CreateRequest(method.ServiceName, method.Name, options, cancellation, content);
        var call = new StreamingCall(_invoker, httpRequest, cancellation, _maxReceiveMessageSize);
        return new DuplexStreamingCall<TRequest, TResponse>(call, new RequestStream<TRequest>(call, content), new ResponseStream<TResponse>(call, method.ResponseParser));
    }

    /// <summary>Closes the connections; calls in flight fail with Unavailable or Cancelled.</summary>
    public void Dispose()
    {
        _disposed = true;
        _invoker.Dispose();
    }

    private static Status NoResponseMessage => new(StatusCode.Internal, "cardinality violation: received no response message from non-server-streaming RPC");

    private HttpRequestMessage CreateRequest(string service, string method, CallOptions options, CallCancellation cancellation, HttpContent content)
    {
        var uri = _uris.GetOrAdd((service, method), static (key, address) => new Uri(address, $"/{key.Service}/{key.Method}"), Address);
        var request = new HttpRequestMessage(HttpMethod.Post, uri)
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = content,
        };
        var headers = request.Headers;
        headers.TryAddWithoutValidation(GrpcProtocol.TeHeader, GrpcProtocol.TeTrailers);
        if (cancellation.Timeout is { } timeout)
        {
            headers.TryAddWithoutValidation(GrpcProtocol.TimeoutHeader, GrpcTimeout.Format(timeout));
        }

        if (options.Headers is { } metadata)
        {
            foreach (var (key, value) in metadata)
            {
                headers.TryAddWithoutValidation(key, value);
            }
        }

        return request;
    }
}
