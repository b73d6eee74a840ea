using MiniKube.ApiServer.Endpoints;
using Prometheus;

namespace MiniKube.ApiServer;

/// <summary>
/// The apiserver's Prometheus metrics under kube-apiserver's names: requests by verb, resource and
/// code, their latency, open watches, and the latency of store calls. One registry per server, so
/// several can share a test process.
/// </summary>
public sealed class ApiMetrics
{
    private readonly CollectorRegistry _registry = Metrics.NewCustomRegistry();
    private readonly Counter _requests;
    private readonly Histogram _latency;
    private readonly Gauge _watches;

    public ApiMetrics()
    {
        var factory = Metrics.WithCustomRegistry(_registry);
        _requests = factory.CreateCounter("apiserver_request_total",
            "Counter of apiserver requests broken out for each verb, group, version, resource and HTTP response code.",
            ["verb", "group", "version", "resource", "subresource", "code"]);
        _latency = factory.CreateHistogram("apiserver_request_duration_seconds",
            "Response latency distribution in seconds for each verb, group, version, resource and subresource.",
            new HistogramConfiguration
            {
                LabelNames = ["verb", "group", "version", "resource", "subresource"],
                Buckets = [0.005, 0.025, 0.05, 0.1, 0.2, 0.4, 0.6, 0.8, 1.0, 1.25, 1.5, 2, 3, 4, 5, 6, 8, 10, 15, 20, 30, 45, 60],
            });
        _watches = factory.CreateGauge("apiserver_longrunning_requests", "Gauge of all active long-running apiserver requests (watches).",
            ["verb", "group", "version", "resource"]);
        StoreLatency = factory.CreateHistogram("etcd_request_duration_seconds", "Etcd request latency in seconds for each operation and object type.",
            new HistogramConfiguration { LabelNames = ["operation", "type"], Buckets = Histogram.ExponentialBuckets(0.001, 2, 14) });
    }

    /// <summary>Observed around each store call by the storage layer.</summary>
    public Histogram StoreLatency { get; }

    public IDisposable TrackWatch(RequestInfo info)
    {
        var gauge = _watches.WithLabels(info.Verb.ToUpperInvariant(), info.Group, info.Version, info.Resource);
        gauge.Inc();
        return new Release(gauge);
    }

    public void Observe(HttpContext context, RequestInfo? info, TimeSpan elapsed)
    {
        var verb = info?.Verb.ToUpperInvariant() ?? context.Request.Method;
        var (group, version, resource, subresource) = info is null ? ("", "", "", "") : (info.Group, info.Version, info.Resource, info.Subresource ?? "");
        _requests.WithLabels(verb, group, version, resource, subresource, context.Response.StatusCode.ToString(System.Globalization.CultureInfo.InvariantCulture)).Inc();
        if (info?.Verb != "watch")
        {
            _latency.WithLabels(verb, group, version, resource, subresource).Observe(elapsed.TotalSeconds);
        }
    }

    public async Task WriteAsync(HttpContext context)
    {
        context.Response.ContentType = "text/plain; version=0.0.4; charset=utf-8";
        await _registry.CollectAndExportAsTextAsync(context.Response.Body, context.RequestAborted).ConfigureAwait(false);
    }

    private sealed class Release(Gauge.Child gauge) : IDisposable
    {
        public void Dispose() => gauge.Dec();
    }
}
