using System.Collections.Concurrent;
using MiniKube.Grpc;

namespace MiniKube.Etcd.Client.Transport;

/// <summary>
/// The configured endpoints, one of them pinned: every call and stream goes to the pinned one
/// until it fails for want of a connection, then the pin moves to the next endpoint that has not
/// failed recently (or simply the next, when all have). Thread-safe.
/// </summary>
internal sealed class EndpointPool : IDisposable
{
    private readonly Endpoint[] _endpoints;
    private readonly ConcurrentDictionary<Uri, Endpoint> _others = new();
    private readonly GrpcChannelOptions _channelOptions;
    private readonly TimeProvider _time;
    private readonly TimeSpan _quarantine;
    private readonly Lock _lock = new();
    private int _pinned;

    public EndpointPool(EtcdClientOptions options)
    {
        if (options.Endpoints is not { Count: > 0 })
        {
            throw new ArgumentException("At least one endpoint is required.", nameof(options));
        }

        _channelOptions = new GrpcChannelOptions
        {
            ConnectTimeout = options.DialTimeout,
            KeepAlivePingDelay = options.KeepAliveTime,
            KeepAlivePingTimeout = options.KeepAliveTimeout,
            MaxReceiveMessageSize = options.MaxReceiveMessageSize,
        };
        _time = options.TimeProvider;
        _quarantine = options.DialTimeout;
        _endpoints = [.. options.Endpoints.Select(Validate).Distinct().Select(address => new Endpoint(address, _channelOptions))];
    }

    public int Count => _endpoints.Length;

    public IReadOnlyList<Uri> Addresses => [.. _endpoints.Select(e => e.Address)];

    public Endpoint Pinned
    {
        get
        {
            lock (_lock)
            {
                return _endpoints[_pinned];
            }
        }
    }

    /// <summary>The endpoint for <paramref name="address"/>: a configured one, or a channel of its own outside the rotation.</summary>
    public Endpoint Get(Uri address)
    {
        var normalized = Validate(address);
        return Array.Find(_endpoints, e => e.Address == normalized)
            ?? _others.GetOrAdd(normalized, static (a, options) => new Endpoint(a, options), _channelOptions);
    }

    /// <summary>A call to <paramref name="endpoint"/> could not reach it: unpin it if it is pinned.</summary>
    public void ReportFailure(Endpoint endpoint)
    {
        lock (_lock)
        {
            endpoint.FailedAt = _time.GetUtcNow();
            if (_endpoints[_pinned] != endpoint)
            {
                return; // someone already moved on
            }

            var now = _time.GetUtcNow();
            for (var step = 1; step <= _endpoints.Length; step++)
            {
                var candidate = (_pinned + step) % _endpoints.Length;
                if (_endpoints[candidate].FailedAt is not { } failed || now - failed >= _quarantine)
                {
                    _pinned = candidate;
                    return;
                }
            }

            _pinned = (_pinned + 1) % _endpoints.Length;
        }
    }

    public void ReportSuccess(Endpoint endpoint)
    {
        lock (_lock)
        {
            endpoint.FailedAt = null;
        }
    }

    public void Dispose()
    {
        foreach (var endpoint in _endpoints.Concat(_others.Values))
        {
            endpoint.Dispose();
        }
    }

    private static Uri Validate(Uri address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (!address.IsAbsoluteUri || (address.Scheme != Uri.UriSchemeHttp && address.Scheme != Uri.UriSchemeHttps))
        {
            throw new ArgumentException($"Endpoint {address} is not an absolute http:// or https:// URL.", nameof(address));
        }

        return new Uri(address.GetLeftPart(UriPartial.Authority));
    }
}
