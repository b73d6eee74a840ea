using System.IO.Pipelines;
using System.Net;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using MiniKube.Grpc.Http2;

namespace MiniKube.Grpc;

/// <summary>Kestrel settings and connection middleware for serving gRPC. Choosing endpoints, TLS and protocols stays with the caller.</summary>
public static class GrpcKestrelExtensions
{
    /// <summary>
    /// Server-wide limits for gRPC traffic. Per endpoint the caller still picks the protocols: h2c
    /// needs <c>HttpProtocols.Http2</c> (prior knowledge); with TLS, ALPN negotiates h2.
    /// </summary>
    public static void ConfigureForGrpc(this KestrelServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.AddServerHeader = false;

        // Watches and lease keep-alives carry unbounded data over hours; gRPC limits messages itself.
        options.Limits.MaxRequestBodySize = null;
        options.Limits.MinRequestBodyDataRate = null;

        var http2 = options.Limits.Http2;
        // Watch and keep-alive streams live as long as their clients, and etcdctl, kube clients and our
        // own channel multiplex everything onto one connection: Kestrel's default of 100 would stall them.
        http2.MaxStreamsPerConnection = 10_000;
        // Larger windows let a big range response or put flow without waiting a round trip per 64 KiB;
        // a stream window above etcd's 1.5 MiB request limit takes any request in one flight.
        http2.InitialConnectionWindowSize = 8 * 1024 * 1024;
        http2.InitialStreamWindowSize = 2 * 1024 * 1024;
        // A client holding only a watch sends nothing for minutes: pings find the ones that died.
        http2.KeepAlivePingDelay = TimeSpan.FromSeconds(60);
        http2.KeepAlivePingTimeout = TimeSpan.FromSeconds(20);
    }

    /// <summary>
    /// Rewrites a request <c>:authority</c> of the form "scheme://host:port/..." to "host:port" before
    /// Kestrel sees it. etcdctl 3.4 sends such authorities for some calls, and Kestrel resets those
    /// streams ("Invalid Host header") before any middleware runs. With TLS, call this after
    /// <c>UseHttps</c>, so that it sees the decrypted frames.
    /// </summary>
    public static ListenOptions UseGrpcAuthorityNormalization(this ListenOptions listenOptions)
    {
        ArgumentNullException.ThrowIfNull(listenOptions);
        listenOptions.Use(next => async connection =>
        {
            var transport = connection.Transport;
            var input = new AuthorityRewritingPipeReader(transport.Input);
            connection.Transport = new DuplexPipe(input, transport.Output);
            try
            {
                await next(connection).ConfigureAwait(false);
            }
            finally
            {
                connection.Transport = transport;
            }
        });
        return listenOptions;
    }

    /// <summary>
    /// Serves HTTP/1.1 on an h2c endpoint as well, as etcd's client port does (for <c>/health</c>,
    /// <c>/version</c> and <c>/metrics</c>): connections that do not open with the HTTP/2 preface
    /// are relayed to <paramref name="http1Endpoint"/>, an HTTP/1.1 endpoint of the same server
    /// (a Unix socket, say). Call it before any other connection middleware, on cleartext
    /// endpoints only: with TLS, ALPN chooses the protocol.
    /// </summary>
    public static ListenOptions UseHttp1Relay(this ListenOptions listenOptions, EndPoint http1Endpoint, TimeSpan? prefaceTimeout = null)
    {
        ArgumentNullException.ThrowIfNull(listenOptions);
        ArgumentNullException.ThrowIfNull(http1Endpoint);
        var relay = new Http1Relay(http1Endpoint, prefaceTimeout ?? TimeSpan.FromSeconds(30));
        listenOptions.Use(next => connection => relay.OnConnectionAsync(connection, next));
        return listenOptions;
    }

    private sealed class DuplexPipe(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;

        public PipeWriter Output { get; } = output;
    }
}
