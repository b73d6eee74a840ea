using System.Net.Sockets;
using Microsoft.AspNetCore.Http;
using MiniKube.Grpc.Protocol;

namespace MiniKube.Grpc;

/// <summary>
/// What a handler knows about its call. One instance per call, which also carries the response
/// state (see ServerCallContext.Response.cs) so that a unary call allocates only this object.
/// </summary>
public sealed partial class ServerCallContext
{
    private Metadata? _requestHeaders;
    private string? _peer;

    internal ServerCallContext(HttpContext httpContext, string method, GrpcServerOptions options)
    {
        HttpContext = httpContext;
        Method = method;
        Options = options;
        CancellationToken = httpContext.RequestAborted;
    }

    /// <summary>The full method path, "/service/method".</summary>
    public string Method { get; }

    /// <summary>When the client's grpc-timeout runs out (UTC), or null when it sent none.</summary>
    public DateTime? Deadline { get; internal set; }

    /// <summary>Cancelled when the client goes away (RST_STREAM or lost connection) or the deadline passes.</summary>
    public CancellationToken CancellationToken { get; internal set; }

    public HttpContext HttpContext { get; }

    /// <summary>The client's address in grpc's form: "ipv4:127.0.0.1:5000" or "ipv6:[::1]:5000".</summary>
    public string Peer => _peer ??= FormatPeer(HttpContext.Connection);

    /// <summary>The request headers that are metadata: everything but pseudo-headers and gRPC's own protocol headers.</summary>
    public Metadata RequestHeaders => _requestHeaders ??= ReadRequestHeaders(HttpContext.Request.Headers);

    internal GrpcServerOptions Options { get; }

    private static string FormatPeer(ConnectionInfo connection)
    {
        var address = connection.RemoteIpAddress;
        if (address is null)
        {
            return "unknown";
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        return address.AddressFamily == AddressFamily.InterNetworkV6
            ? $"ipv6:[{address}]:{connection.RemotePort}"
            : $"ipv4:{address}:{connection.RemotePort}";
    }

    private static Metadata ReadRequestHeaders(IHeaderDictionary headers)
    {
        var metadata = new Metadata();
        foreach (var (key, values) in headers)
        {
            if (key.StartsWith(':')
                || key.Equals("host", StringComparison.OrdinalIgnoreCase)
                || key.Equals(GrpcProtocol.TeHeader, StringComparison.OrdinalIgnoreCase)
                || key.Equals("content-type", StringComparison.OrdinalIgnoreCase)
                || key.Equals(GrpcProtocol.TimeoutHeader, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            foreach (var value in values)
            {
                if (value is not null)
                {
                    metadata.Add(key, value);
                }
            }
        }

        return metadata;
    }
}
