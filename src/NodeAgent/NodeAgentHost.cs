using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MiniKube.Api.Core;
using MiniKube.Client;
using MiniKube.Client.Cache;
using MiniKube.NodeAgent.Logs;
using MiniKube.NodeAgent.Nodes;
using MiniKube.NodeAgent.Pods;
using MiniKube.NodeAgent.Runtime;

namespace MiniKube.NodeAgent;

/// <summary>
/// A running node agent: N nodes in one process sharing one HTTP server (containerLogs, healthz), one pod informer,
/// one node informer, one status manager and the runtime's timers. The pod informer watches
/// <c>spec.nodeName=&lt;node&gt;</c> when there is one node, as the kubelet does; with more it watches every scheduled
/// pod (<c>spec.nodeName!=</c>, field selectors have no set form) and keeps those of its own nodes.
/// Start with <see cref="StartAsync"/>, stop by disposing.
/// </summary>
public sealed class NodeAgentHost : IAsyncDisposable
{
    private readonly NodeAgentOptions _options;
    private readonly KubeClient _client;
    private readonly WebApplication _app;
    private readonly string _root;
    private readonly bool _ownsRoot;
    private readonly Action<string> _log;
    private readonly CancellationTokenSource _stop = new();
    private readonly Dictionary<string, NodeHeartbeat> _heartbeats = [];
    private readonly Dictionary<string, PodWorkerContext> _contexts = [];
    private readonly ConcurrentDictionary<string, PodWorker> _workers = new();
    private readonly Lock _workersGate = new();
    private readonly ConcurrentBag<Task> _loops = [];

    /// <summary>How many nodes register at once: a thousand Node creates, statuses and Leases in one burst kept the
    /// apiserver so busy that the controller-manager's lease renewal timed out and it lost leadership.</summary>
    private readonly SemaphoreSlim _registrations = new(16);
    private StatusManager? _statuses;
    private SharedInformer<Pod>? _pods;
    private SharedInformer<Node>? _nodes;

    private NodeAgentHost(NodeAgentOptions options, KubeClient client, WebApplication app, string root, bool ownsRoot, Action<string> log)
    {
        _options = options;
        _client = client;
        _app = app;
        _root = root;
        _ownsRoot = ownsRoot;
        _log = log;
    }

    /// <summary>The port of the agent's HTTP server, which every node advertises as its kubelet endpoint.</summary>
    public int Port { get; private set; }

    public IReadOnlyCollection<string> NodeNames => _heartbeats.Keys;

    /// <summary>The worker of a pod on one of this agent's nodes, if any (for tests and the log server).</summary>
    public PodWorker? FindWorker(string @namespace, string name) => _workers.GetValueOrDefault($"{@namespace}/{name}");

    public static async Task<NodeAgentHost> StartAsync(NodeAgentOptions options, KubeClient client, Action<string>? log = null, CancellationToken cancellationToken = default)
    {
        options.Validate();
        log ??= line => Console.Error.WriteLine(line);
        var ownsRoot = options.RootDirectory is null;
        var root = options.RootDirectory ?? Path.Combine(Path.GetTempPath(), $"mk-node-agent-{Environment.ProcessId}-{Guid.NewGuid():N}"[..48]);
        Directory.CreateDirectory(root);

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, options.Port));
        var app = builder.Build();
        var host = new NodeAgentHost(options, client, app, root, ownsRoot, log);
        app.MapGet("/healthz", () => "ok");
        app.MapGet("/containerLogs/{ns}/{pod}/{container}", (HttpContext c, string ns, string pod, string container) => host.ServeLogsAsync(c, ns, pod, container));
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        host.Port = new Uri(bound).Port;
        host.Start();
        return host;
    }

    private void Start()
    {
        IContainerRuntime runtime = _options.Runtime == "process"
            ? new ProcessRuntime(_root, _options.TimeProvider)
            : new SimulatedRuntime();
        // A kubelet per node writes its pods' statuses on its own; one agent simulating hundreds of nodes with four
        // writers made Running trail the bindings by tens of seconds, so the writers grow with the nodes.
        _statuses = new StatusManager(_client, _options.TimeProvider, _log, writers: Math.Clamp(_options.Nodes, 4, 64));
        for (var i = 0; i < _options.Nodes; i++)
        {
            var name = _options.NodeName(i);
            var ips = PodIpAllocator.ForNode(_options.PodCidr, i);
            _heartbeats[name] = new NodeHeartbeat(_client, _options, name, ips.Subnet, Port, runtime.Name, _log, _registrations);
            _contexts[name] = new PodWorkerContext(name, NodeHeartbeat.HostIP, ips, runtime, _options.TimeProvider, _options.StartupDelay,
                Path.Combine(_root, "pods"), _statuses.Enqueue);
        }

        foreach (var heartbeat in _heartbeats.Values)
        {
            _loops.Add(Task.Run(() => heartbeat.RunAsync(_stop.Token)));
        }

        var fieldSelector = _options.Nodes == 1 ? $"spec.nodeName={_options.NodeName(0)}" : "spec.nodeName!=";
        _pods = new SharedInformer<Pod>(_client, new ReflectorOptions { FieldSelector = fieldSelector, TimeProvider = _options.TimeProvider },
            e => _log($"pod handler failed: {e}"));
        _pods.AddEventHandler(onAdd: OnPod, onUpdate: (_, pod) => OnPod(pod), onDelete: OnPodDeleted);
        _pods.Start();
        _nodes = new SharedInformer<Node>(_client, new ReflectorOptions { TimeProvider = _options.TimeProvider });
        _nodes.AddEventHandler(onUpdate: OnNodeUpdated, onDelete: OnNodeDeleted);
        _nodes.Start();
    }

    private void OnPod(Pod pod)
    {
        if (pod.Spec?.NodeName is not { } node || !_contexts.TryGetValue(node, out var context) || pod.Metadata?.Uid is not { } uid)
        {
            return;
        }

        var key = $"{pod.Metadata.Namespace}/{pod.Metadata.Name}";
        PodWorker? replaced = null;
        PodWorker? created = null;
        PodWorker worker;
        lock (_workersGate)
        {
            if (_workers.TryGetValue(key, out var existing) && existing.Uid == uid)
            {
                worker = existing;
            }
            else
            {
                replaced = existing;
                worker = created = new PodWorker(pod, context);
                _workers[key] = worker;
            }
        }

        replaced?.Remove();
        if (created is not null)
        {
            created.Start();
        }
        else
        {
            worker.Update(pod);
        }
    }

    private void OnPodDeleted(Pod pod)
    {
        var key = $"{pod.Metadata?.Namespace}/{pod.Metadata?.Name}";
        PodWorker? removed = null;
        lock (_workersGate)
        {
            if (_workers.TryGetValue(key, out var existing) && existing.Uid == pod.Metadata?.Uid)
            {
                _workers.TryRemove(key, out removed);
            }
        }

        removed?.Remove();
    }

    private void OnNodeUpdated(Node old, Node node)
    {
        if (node.Metadata?.Name is { } name && _heartbeats.TryGetValue(name, out var heartbeat))
        {
            heartbeat.ObserveNode(node);
        }
    }

    private void OnNodeDeleted(Node node)
    {
        if (node.Metadata?.Name is { } name && _heartbeats.TryGetValue(name, out var heartbeat))
        {
            _log($"node \"{name}\" was deleted, registering it again");
            _loops.Add(Task.Run(async () =>
            {
                try
                {
                    await heartbeat.NodeDeletedAsync(_stop.Token).ConfigureAwait(false);
                }
                catch (Exception e) when (e is KubeApiException or HttpRequestException or OperationCanceledException)
                {
                    _log($"Unable to register node \"{name}\" again: {e.Message}; the next status update retries");
                }
            }));
        }
    }

    /// <summary>GET /containerLogs/{ns}/{pod}/{container}: the kubelet's log endpoint, plain text, streaming with follow.</summary>
    private async Task ServeLogsAsync(HttpContext context, string ns, string pod, string container)
    {
        var query = context.Request.Query;
        LogOptions options;
        try
        {
            options = new LogOptions
            {
                Follow = Bool(query["follow"]),
                Previous = Bool(query["previous"]),
                Timestamps = Bool(query["timestamps"]),
                TailLines = Long(query["tailLines"], "tailLines"),
                LimitBytes = Long(query["limitBytes"], "limitBytes"),
                SinceTime = Long(query["sinceSeconds"], "sinceSeconds") is { } s ? _options.TimeProvider.GetUtcNow().AddSeconds(-s) : null,
            };
        }
        catch (FormatException e)
        {
            await TextAsync(context, 400, e.Message).ConfigureAwait(false);
            return;
        }

        if (FindWorker(ns, pod) is not { } worker)
        {
            await TextAsync(context, 404, $"pod \"{pod}\" in namespace \"{ns}\" not found on this node").ConfigureAwait(false);
            return;
        }

        var lookup = worker.FindLog(container, options.Previous);
        if (lookup.Error is { } error || lookup.Path is not { } path)
        {
            await TextAsync(context, 400, lookup.Error ?? "no log").ConfigureAwait(false);
            return;
        }

        context.Response.StatusCode = 200;
        context.Response.ContentType = "text/plain";
        try
        {
            await context.Response.StartAsync(context.RequestAborted).ConfigureAwait(false);
            await ContainerLogReader.CopyAsync(path, options, context.Response.Body, lookup.StillRunning, context.RequestAborted).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or FileNotFoundException or DirectoryNotFoundException)
        {
            // The client left, or the pod was removed while streaming.
        }

        static bool Bool(string? v) => v is "true" or "1" or "True";

        static long? Long(string? v, string name) =>
            string.IsNullOrEmpty(v) ? null : long.TryParse(v, out var n) && n >= 0 ? n : throw new FormatException($"{name}: invalid value \"{v}\"");
    }

    private static async Task TextAsync(HttpContext context, int code, string text)
    {
        context.Response.StatusCode = code;
        context.Response.ContentType = "text/plain; charset=utf-8";
        await context.Response.WriteAsync(text, context.RequestAborted).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_pods is not null)
        {
            await _pods.DisposeAsync().ConfigureAwait(false);
        }

        if (_nodes is not null)
        {
            await _nodes.DisposeAsync().ConfigureAwait(false);
        }

        try
        {
            await Task.WhenAll(_loops.ToArray()).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        foreach (var worker in _workers.Values)
        {
            worker.Remove();
        }

        if (_statuses is not null)
        {
            await _statuses.DisposeAsync().ConfigureAwait(false);
        }

        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        _stop.Dispose();
        _registrations.Dispose();
        foreach (var heartbeat in _heartbeats.Values)
        {
            heartbeat.Dispose();
        }

        if (_ownsRoot)
        {
            try
            {
                Directory.Delete(_root, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}
