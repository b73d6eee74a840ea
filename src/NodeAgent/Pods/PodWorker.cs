using System.Security.Cryptography;
using System.Text;
using MiniKube.Api.Core;
using MiniKube.Api.Serialization;
using MiniKube.NodeAgent.Logs;
using MiniKube.NodeAgent.Runtime;

namespace MiniKube.NodeAgent.Pods;

/// <summary>
/// One pod on one node (the kubelet's pod worker and the status it generates): starts the containers after the
/// startup delay, restarts them by restartPolicy with crash-loop back-off, stops them when the pod is being deleted,
/// and computes the pod's status from all that. Every change runs under one lock (timer callbacks, container exits,
/// informer updates) and is followed by <see cref="PodWorkerContext.Changed"/>, called outside the lock.
/// </summary>
public sealed class PodWorker
{
    public const string ContainerCreating = "ContainerCreating";
    public const string CrashLoopBackOff = "CrashLoopBackOff";

    private static readonly HashSet<string> OwnedConditions = ["PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady"];

    private readonly PodWorkerContext _ctx;
    private readonly Lock _gate = new();
    private readonly List<ContainerRecord> _containers;
    private readonly DateTimeOffset _startTime;
    private readonly string? _podIP;
    private readonly bool _finishedBefore;
    private Pod _pod;
    private bool _sandboxReady;
    private bool _terminating;
    private bool _readyToDelete;
    private bool _removed;
    private ITimer? _startTimer;
    private PodStatus? _lastStatus;

    public PodWorker(Pod pod, PodWorkerContext ctx)
    {
        _ctx = ctx;
        _pod = pod;
        Uid = pod.Metadata?.Uid ?? "";
        Namespace = pod.Metadata?.Namespace ?? "";
        Name = pod.Metadata?.Name ?? "";
        var now = ctx.Time.GetUtcNow();
        _startTime = pod.Status?.StartTime ?? now;
        // A pod that finished before the agent (re)started is left as it is, as the kubelet does with terminal pods.
        _finishedBefore = pod.Status?.Phase is "Succeeded" or "Failed";
        if (pod.Spec?.HostNetwork == true)
        {
            _podIP = ctx.HostIP;
        }
        else if (pod.Status?.PodIP is { } existing && ctx.Ips.TryReserve(existing))
        {
            _podIP = existing;
        }
        else if (!_finishedBefore)
        {
            _podIP = ctx.Ips.Allocate();
        }

        _containers = [.. (pod.Spec?.Containers ?? []).Select(c => new ContainerRecord(c))];
    }

    public string Uid { get; }

    public string Namespace { get; }

    public string Name { get; }

    public string NodeName => _ctx.NodeName;

    /// <summary>The status last written for this pod (JSON), kept by the status manager so that unchanged status is not written again.</summary>
    public string? LastWrittenStatus { get; set; }

    /// <summary>Schedules the containers' start after the startup delay (separate from the constructor so the caller can index the worker first).</summary>
    public void Start()
    {
        lock (_gate)
        {
            if (_finishedBefore || _removed)
            {
                return;
            }

            if (_pod.Metadata?.DeletionTimestamp is not null)
            {
                BeginTerminationLocked();
            }
            else
            {
                _startTimer = _ctx.Time.CreateTimer(_ => StartContainers(), null, _ctx.StartupDelay, Timeout.InfiniteTimeSpan);
            }
        }

        _ctx.Changed(this);
    }

    /// <summary>A newer version of the pod from the informer (or from the answer to our own status write).</summary>
    public void Update(Pod pod)
    {
        lock (_gate)
        {
            if (_removed || IsOlder(pod, _pod))
            {
                return;
            }

            _pod = pod;
            if (pod.Metadata?.DeletionTimestamp is not null && !_terminating)
            {
                BeginTerminationLocked();
            }
        }

        _ctx.Changed(this);
    }

    /// <summary>The pod is gone from the API: kill what still runs, give back its address, and forget its logs.</summary>
    public void Remove()
    {
        lock (_gate)
        {
            if (_removed)
            {
                return;
            }

            _removed = true;
            _startTimer?.Dispose();
            foreach (var c in _containers)
            {
                c.Timer?.Dispose();
                c.Running?.Stop(TimeSpan.Zero);
                c.Log?.Dispose();
            }

            if (_podIP is not null && _pod.Spec?.HostNetwork != true)
            {
                _ctx.Ips.Release(_podIP);
            }
        }

        try
        {
            Directory.Delete(PodLogDirectory, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
        catch (IOException)
        {
            // A log still open for a follower; the agent's directory goes at exit.
        }
    }

    public PodWorkerSnapshot Snapshot()
    {
        lock (_gate)
        {
            return new PodWorkerSnapshot(_pod, ComputeStatusLocked(), _readyToDelete, _removed);
        }
    }

    /// <summary>The log of <paramref name="container"/> (its previous run's with <paramref name="previous"/>), with the kubelet's errors.</summary>
    public LogLookup FindLog(string container, bool previous)
    {
        lock (_gate)
        {
            var rec = _containers.FirstOrDefault(c => c.Spec.Name == container);
            if (rec is null)
            {
                return LogLookup.Failed($"container \"{container}\" in pod \"{Name}\" is not available");
            }

            if (previous)
            {
                return rec.PreviousLogPath is { } p && rec.LastTerminated is not null
                    ? new LogLookup(p, () => false, null)
                    : LogLookup.Failed($"previous terminated container \"{container}\" in pod \"{Name}\" not found");
            }

            if (rec.Running is not null && rec.LogPath is { } running)
            {
                return new LogLookup(running, () => IsRunning(rec), null);
            }

            if (rec.Terminated is not null && rec.LogPath is { } finished)
            {
                return new LogLookup(finished, () => false, null);
            }

            if (rec.LastTerminated is not null && rec.PreviousLogPath is { } last)
            {
                return new LogLookup(last, () => false, null);
            }

            return LogLookup.Failed($"container \"{container}\" in pod \"{Name}\" is waiting to start: {rec.WaitingReason ?? ContainerCreating}");
        }
    }

    private bool IsRunning(ContainerRecord rec)
    {
        lock (_gate)
        {
            return rec.Running is not null && !_removed;
        }
    }

    private string PodLogDirectory => Path.Combine(_ctx.LogDirectory, $"{Namespace}_{Name}_{Uid}");

    private void StartContainers()
    {
        lock (_gate)
        {
            if (_terminating || _removed)
            {
                return;
            }

            _sandboxReady = true;
            foreach (var c in _containers)
            {
                StartContainerLocked(c);
            }
        }

        _ctx.Changed(this);
    }

    private void StartContainerLocked(ContainerRecord c)
    {
        var now = _ctx.Time.GetUtcNow();
        if (c.LogPath is not null)
        {
            c.PreviousLogPath = c.LogPath;
        }

        c.Log?.Dispose();
        c.LogPath = Path.Combine(PodLogDirectory, c.Spec.Name ?? "", $"{c.RestartCount}.log");
        c.Log = new ContainerLog(c.LogPath, _ctx.Time);
        c.ContainerId = $"{_ctx.Runtime.Name}://{Hex($"{Uid}/{c.Spec.Name}/{c.RestartCount}")}";
        c.Terminated = null;
        c.WaitingReason = null;
        c.WaitingMessage = null;
        c.StartedAt = now;
        IRunningContainer running;
        try
        {
            running = _ctx.Runtime.Start(new ContainerStartRequest(Namespace, Name, c.Spec, EnvironmentOf(c.Spec), c.Log));
        }
        catch (ContainerStartException e)
        {
            c.Log.Write("stderr", e.Message);
            ExitedLocked(c, 128, "StartError", e.Message);
            return;
        }

        c.Running = running;
        var delay = TimeSpan.FromSeconds(Math.Max(0, c.Spec.ReadinessProbe?.InitialDelaySeconds ?? 0));
        c.ReadyAt = now + delay;
        if (delay > TimeSpan.Zero)
        {
            c.Timer = _ctx.Time.CreateTimer(_ => _ctx.Changed(this), null, delay, Timeout.InfiniteTimeSpan);
        }

        // Exits of fakes complete synchronously in tests; real ones arrive on the thread pool.
        running.Exited.ContinueWith(t => OnExited(c, running, t.Result), CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously | TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);
    }

    private void OnExited(ContainerRecord c, IRunningContainer which, int exitCode)
    {
        lock (_gate)
        {
            if (c.Running != which || _removed)
            {
                return;
            }

            c.Running = null;
            ExitedLocked(c, exitCode, exitCode == 0 ? "Completed" : "Error", null);
        }

        _ctx.Changed(this);
    }

    /// <summary>Records the end of a container's run and decides, by restartPolicy, whether and when it runs again.</summary>
    private void ExitedLocked(ContainerRecord c, int exitCode, string reason, string? message)
    {
        var now = _ctx.Time.GetUtcNow();
        c.Timer?.Dispose();
        c.Timer = null;
        c.Log?.Dispose();
        c.Log = null;
        var terminated = new ContainerStateTerminated
        {
            ExitCode = exitCode,
            Reason = reason,
            Message = message,
            StartedAt = c.StartedAt,
            FinishedAt = now,
            ContainerID = c.ContainerId,
        };
        if (_terminating)
        {
            c.Terminated = terminated;
            CheckStoppedLocked();
            return;
        }

        var policy = _pod.Spec?.RestartPolicy ?? "Always";
        if (policy == "Never" || (policy == "OnFailure" && exitCode == 0))
        {
            c.Terminated = terminated;
            if (_containers.All(x => x.Running is null && x.Terminated is not null))
            {
                _sandboxReady = false;
            }

            return;
        }

        c.LastTerminated = terminated;
        c.Terminated = null;
        var delay = c.Backoff.Next(now);
        if (delay == TimeSpan.Zero)
        {
            c.RestartCount++;
            StartContainerLocked(c);
            return;
        }

        c.WaitingReason = CrashLoopBackOff;
        c.WaitingMessage = $"back-off {FormatDuration(delay)} restarting failed container={c.Spec.Name} pod={Name}_{Namespace}({Uid})";
        c.Timer = _ctx.Time.CreateTimer(_ => Restart(c), null, delay, Timeout.InfiniteTimeSpan);
    }

    private void Restart(ContainerRecord c)
    {
        lock (_gate)
        {
            if (_terminating || _removed || c.Running is not null)
            {
                return;
            }

            c.Timer?.Dispose();
            c.Timer = null;
            c.RestartCount++;
            StartContainerLocked(c);
        }

        _ctx.Changed(this);
    }

    private void BeginTerminationLocked()
    {
        _terminating = true;
        _startTimer?.Dispose();
        var grace = TimeSpan.FromSeconds(Math.Max(0, _pod.Metadata?.DeletionGracePeriodSeconds ?? _pod.Spec?.TerminationGracePeriodSeconds ?? 30));
        foreach (var c in _containers)
        {
            c.Timer?.Dispose();
            c.Timer = null;
            c.Running?.Stop(grace);
        }

        CheckStoppedLocked();
    }

    private void CheckStoppedLocked()
    {
        if (_containers.All(c => c.Running is null))
        {
            _sandboxReady = false;
            _readyToDelete = true;
        }
    }

    /// <summary>The kubelet's generateAPIPodStatus, for what this node knows; conditions keep their transition time while unchanged.</summary>
    private PodStatus ComputeStatusLocked()
    {
        if (_finishedBefore)
        {
            return _pod.Status!;
        }

        var now = _ctx.Time.GetUtcNow();
        var statuses = _containers.Select(c => StatusOf(c, now)).OrderBy(s => s.Name, StringComparer.Ordinal).ToList();
        var phase = PhaseOf(statuses, _pod.Spec?.RestartPolicy ?? "Always");
        var terminal = phase is "Succeeded" or "Failed";
        var unready = statuses.Where(s => s.Ready != true).Select(s => s.Name).ToList();
        var conditions = new List<PodCondition>
        {
            Condition("PodReadyToStartContainers", _sandboxReady && !terminal, null, null, now),
            Condition("Initialized", true, null, null, now),
        };
        string? reason = terminal ? "PodCompleted" : unready.Count > 0 ? "ContainersNotReady" : null;
        string? message = !terminal && unready.Count > 0 ? $"containers with unready status: [{string.Join(' ', unready)}]" : null;
        conditions.Add(Condition("Ready", !terminal && unready.Count == 0, reason, message, now));
        conditions.Add(Condition("ContainersReady", !terminal && unready.Count == 0, reason, message, now));
        var others = (_pod.Status?.Conditions ?? []).Where(c => c.Type is not null && !OwnedConditions.Contains(c.Type)).ToList();
        if (!others.Any(c => c.Type == "PodScheduled"))
        {
            conditions.Add(Condition("PodScheduled", true, null, null, now));
        }

        conditions.AddRange(others.Select(c => ApiJson.Deserialize<PodCondition>(ApiJson.Serialize(c))));
        var status = new PodStatus
        {
            Phase = phase,
            Conditions = conditions,
            HostIP = _ctx.HostIP,
            HostIPs = [new HostIP { Ip = _ctx.HostIP }],
            PodIP = _podIP,
            PodIPs = _podIP is null ? null : [new PodIP { Ip = _podIP }],
            StartTime = _startTime,
            ContainerStatuses = statuses,
            QosClass = _pod.Status?.QosClass ?? QosClassOf(_pod.Spec),
            NominatedNodeName = _pod.Status?.NominatedNodeName,
        };
        _lastStatus = status;
        return status;
    }

    private PodCondition Condition(string type, bool value, string? reason, string? message, DateTimeOffset now)
    {
        var status = value ? "True" : "False";
        var previous = (_lastStatus?.Conditions ?? _pod.Status?.Conditions)?.FirstOrDefault(c => c.Type == type);
        return new PodCondition
        {
            Type = type,
            Status = status,
            Reason = reason,
            Message = message,
            LastTransitionTime = previous?.Status == status && previous.LastTransitionTime is { } t ? t : Truncate(now),
        };
    }

    private static ContainerStatus StatusOf(ContainerRecord c, DateTimeOffset now)
    {
        var state = new ContainerState();
        if (c.Running is not null)
        {
            state.Running = new ContainerStateRunning { StartedAt = c.StartedAt };
        }
        else if (c.Terminated is not null)
        {
            state.Terminated = c.Terminated;
        }
        else
        {
            state.Waiting = new ContainerStateWaiting { Reason = c.WaitingReason ?? ContainerCreating, Message = c.WaitingMessage };
        }

        var image = c.Spec.Image ?? "";
        return new ContainerStatus
        {
            Name = c.Spec.Name,
            State = state,
            LastState = c.LastTerminated is null ? new ContainerState() : new ContainerState { Terminated = c.LastTerminated },
            Ready = c.Running is not null && now >= c.ReadyAt,
            RestartCount = c.RestartCount,
            Image = image,
            ImageID = $"{Repository(image)}@sha256:{Hex(image)}",
            ContainerID = c.Running is not null || c.Terminated is not null ? c.ContainerId : null,
            Started = c.Running is not null,
        };
    }

    /// <summary>The kubelet's getPhase for regular containers.</summary>
    public static string PhaseOf(IReadOnlyList<ContainerStatus> statuses, string restartPolicy)
    {
        int waiting = 0, running = 0, stopped = 0, succeeded = 0;
        foreach (var s in statuses)
        {
            if (s.State?.Running is not null)
            {
                running++;
            }
            else if (s.State?.Terminated is { } t)
            {
                stopped++;
                if (t.ExitCode == 0)
                {
                    succeeded++;
                }
            }
            else if (s.LastState?.Terminated is not null)
            {
                stopped++;
            }
            else
            {
                waiting++;
            }
        }

        if (waiting > 0 || statuses.Count == 0)
        {
            return "Pending";
        }

        if (running > 0)
        {
            return "Running";
        }

        return restartPolicy switch
        {
            "Always" => "Running",
            "OnFailure" => stopped == succeeded ? "Succeeded" : "Running",
            _ => stopped == succeeded ? "Succeeded" : "Failed",
        };
    }

    private Dictionary<string, string> EnvironmentOf(Container container)
    {
        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var e in container.Env ?? [])
        {
            if (e.Name is null)
            {
                continue;
            }

            var value = e.Value ?? (e.ValueFrom?.FieldRef?.FieldPath switch
            {
                "metadata.name" => Name,
                "metadata.namespace" => Namespace,
                "metadata.uid" => Uid,
                "spec.nodeName" => _ctx.NodeName,
                "spec.serviceAccountName" => _pod.Spec?.ServiceAccountName,
                "status.hostIP" => _ctx.HostIP,
                "status.podIP" => _podIP,
                _ => null,
            });
            if (value is not null)
            {
                env[e.Name] = value;
            }
        }

        return env;
    }

    private static string QosClassOf(PodSpec? spec)
    {
        var containers = spec?.Containers ?? [];
        var any = containers.Any(c => c.Resources?.Requests?.Count > 0 || c.Resources?.Limits?.Count > 0);
        if (!any)
        {
            return "BestEffort";
        }

        var guaranteed = containers.All(c =>
            c.Resources?.Limits is { } limits && limits.ContainsKey("cpu") && limits.ContainsKey("memory")
            && (c.Resources.Requests is null || c.Resources.Requests.All(r => limits.TryGetValue(r.Key, out var l) && l.Equals(r.Value))));
        return guaranteed ? "Guaranteed" : "Burstable";
    }

    private static bool IsOlder(Pod candidate, Pod current) =>
        long.TryParse(candidate.Metadata?.ResourceVersion, out var a) && long.TryParse(current.Metadata?.ResourceVersion, out var b) && a < b;

    private static DateTimeOffset Truncate(DateTimeOffset t) => new(t.Ticks - (t.Ticks % TimeSpan.TicksPerSecond), t.Offset);

    private static string Hex(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    /// <summary>The image's repository as a container runtime names it (nginx:1.27 → docker.io/library/nginx).</summary>
    private static string Repository(string image)
    {
        var at = image.IndexOf('@', StringComparison.Ordinal);
        var name = at >= 0 ? image[..at] : image;
        var colon = name.LastIndexOf(':');
        if (colon > name.LastIndexOf('/'))
        {
            name = name[..colon];
        }

        var slash = name.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0)
        {
            return $"docker.io/library/{name}";
        }

        var host = name[..slash];
        return host.Contains('.', StringComparison.Ordinal) || host.Contains(':', StringComparison.Ordinal) || host == "localhost" ? name : $"docker.io/{name}";
    }

    /// <summary>Go's time.Duration.String for whole seconds: 10s, 1m20s, 5m0s.</summary>
    public static string FormatDuration(TimeSpan d)
    {
        var total = (long)d.TotalSeconds;
        if (total < 60)
        {
            return $"{total}s";
        }

        return total < 3600 ? $"{total / 60}m{total % 60}s" : $"{total / 3600}h{total % 3600 / 60}m{total % 60}s";
    }

    /// <summary>One container of the pod and its runs, mutated only under the worker's lock.</summary>
    private sealed class ContainerRecord(Container spec)
    {
        public Container Spec { get; } = spec;

        public RestartBackoff Backoff { get; } = RestartBackoff.Default();

        public IRunningContainer? Running { get; set; }

        public DateTimeOffset? StartedAt { get; set; }

        public DateTimeOffset ReadyAt { get; set; }

        public ContainerStateTerminated? Terminated { get; set; }

        public ContainerStateTerminated? LastTerminated { get; set; }

        public int RestartCount { get; set; }

        public string? WaitingReason { get; set; }

        public string? WaitingMessage { get; set; }

        public string? ContainerId { get; set; }

        public ContainerLog? Log { get; set; }

        public string? LogPath { get; set; }

        public string? PreviousLogPath { get; set; }

        public ITimer? Timer { get; set; }
    }
}
