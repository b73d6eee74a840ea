using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using MiniKube.Api.Selectors;

namespace MiniKube.Api.Printing;

/// <summary>
/// Builds the metav1.Table the apiserver answers to "Accept: application/json;as=Table;g=meta.k8s.io;v=v1",
/// with the columns and cell logic of k8s's pkg/printers/internalversion/printers.go. Every column is
/// filled, wide ones included (as the apiserver does); clients hide priority-1 columns without -o wide.
/// Ages are computed against the injected clock.
/// </summary>
public sealed partial class TablePrinter(TimeProvider time)
{
    public TablePrinter()
        : this(TimeProvider.System)
    {
    }

    /// <summary>The column definitions for a resource; unknown resources get Name and Age.</summary>
    public static IReadOnlyList<TableColumn> Columns(string group, string resource) =>
        (group, resource) switch
        {
            ("", "pods") => PodColumns,
            ("apps", "deployments") => DeploymentColumns,
            ("apps", "replicasets") => ReplicaSetColumns,
            ("", "nodes") => NodeColumns,
            ("", "namespaces") => NamespaceColumns,
            ("", "events") => EventColumns,
            ("", "configmaps") => ConfigMapColumns,
            ("", "secrets") => SecretColumns,
            ("", "services") => ServiceColumns,
            ("coordination.k8s.io", "leases") => LeaseColumns,
            _ => DefaultColumns,
        };

    /// <summary>One row's cells, in the order of <see cref="Columns"/>.</summary>
    public TableRow Row(string group, string resource, JsonObject obj, IncludeObject include = IncludeObject.Metadata)
    {
        var now = time.GetUtcNow();
        IReadOnlyList<JsonObject>? conditions = null;
        var cells = (group, resource) switch
        {
            ("", "pods") => PodCells(obj, now, out conditions),
            ("apps", "deployments") => DeploymentCells(obj, now),
            ("apps", "replicasets") => ReplicaSetCells(obj, now),
            ("", "nodes") => NodeCells(obj, now),
            ("", "namespaces") => [Name(obj), Str(obj, "status", "phase"), Age(obj, now)],
            ("", "events") => EventCells(obj, now),
            ("", "configmaps") => [Name(obj), Count(obj["data"]) + Count(obj["binaryData"]), Age(obj, now)],
            ("", "secrets") => [Name(obj), Str(obj, "type"), Count(obj["data"]), Age(obj, now)],
            ("", "services") => ServiceCells(obj, now),
            ("coordination.k8s.io", "leases") => [Name(obj), Str(obj, "spec", "holderIdentity"), Age(obj, now)],
            _ => new JsonNode?[] { Name(obj), Age(obj, now) },
        };
        return new TableRow(cells, ObjectFor(obj, include), conditions);
    }

    /// <summary>A whole metav1.Table as JSON, ready to be served.</summary>
    public JsonObject Table(string group, string resource, IEnumerable<JsonObject> objects,
        IncludeObject include = IncludeObject.Metadata, string? resourceVersion = null, string? continueToken = null)
    {
        var metadata = new JsonObject();
        if (resourceVersion is not null)
        {
            metadata["resourceVersion"] = resourceVersion;
        }
        if (!string.IsNullOrEmpty(continueToken))
        {
            metadata["continue"] = continueToken;
        }
        return new JsonObject
        {
            ["kind"] = "Table",
            ["apiVersion"] = "meta.k8s.io/v1",
            ["metadata"] = metadata,
            ["columnDefinitions"] = new JsonArray([.. Columns(group, resource).Select(c => (JsonNode)c.ToJson())]),
            ["rows"] = new JsonArray([.. objects.Select(o => (JsonNode)Row(group, resource, o, include).ToJson())]),
        };
    }

    private static JsonObject? ObjectFor(JsonObject obj, IncludeObject include) => include switch
    {
        IncludeObject.None => null,
        IncludeObject.FullObject => (JsonObject)obj.DeepClone(),
        _ => new JsonObject
        {
            ["kind"] = "PartialObjectMetadata",
            ["apiVersion"] = "meta.k8s.io/v1",
            ["metadata"] = obj["metadata"]?.DeepClone() ?? new JsonObject(),
        },
    };

    private static JsonNode?[] PodCells(JsonObject pod, DateTimeOffset now, out IReadOnlyList<JsonObject>? rowConditions)
    {
        var spec = pod["spec"] as JsonObject ?? [];
        var status = pod["status"] as JsonObject ?? [];
        var restarts = 0L;
        var restartableInitRestarts = 0L;
        var totalContainers = Items(spec["containers"]).Count;
        var readyContainers = 0;
        DateTimeOffset? lastRestart = null;
        DateTimeOffset? lastRestartableInitRestart = null;
        var phase = Str(status, "phase");
        var reason = string.IsNullOrEmpty(Str(status, "reason")) ? phase : Str(status, "reason");
        var conditions = Items(status["conditions"]);
        if (conditions.Any(c => Str(c, "type") == "PodScheduled" && Str(c, "reason") == "SchedulingGated"))
        {
            reason = "SchedulingGated";
        }
        rowConditions = phase switch
        {
            "Succeeded" => [CompletedCondition("Succeeded", "The pod has completed successfully.")],
            "Failed" => [CompletedCondition("Failed", "The pod failed.")],
            _ => null,
        };

        var initSpecs = Items(spec["initContainers"]);
        var restartableInit = initSpecs.Where(c => Str(c, "restartPolicy") == "Always").Select(c => Str(c, "name")).ToHashSet(StringComparer.Ordinal);
        totalContainers += restartableInit.Count;

        var initializing = false;
        var initStatuses = Items(status["initContainerStatuses"]);
        for (var i = 0; i < initStatuses.Count; i++)
        {
            var c = initStatuses[i];
            var isRestartable = restartableInit.Contains(Str(c, "name"));
            restarts += Long(c, "restartCount");
            var finished = Time(c["lastState"]?["terminated"]?["finishedAt"]);
            lastRestart = Later(lastRestart, finished);
            if (isRestartable)
            {
                restartableInitRestarts += Long(c, "restartCount");
                lastRestartableInitRestart = Later(lastRestartableInitRestart, finished);
            }
            var terminated = c["state"]?["terminated"] as JsonObject;
            var waiting = c["state"]?["waiting"] as JsonObject;
            if (terminated is not null && Long(terminated, "exitCode") == 0)
            {
                continue;
            }
            if (isRestartable && c["started"] is JsonValue started && started.GetValueKind() == JsonValueKind.True)
            {
                if (Bool(c, "ready"))
                {
                    readyContainers++;
                }
                continue;
            }
            if (terminated is not null)
            {
                reason = Str(terminated, "reason").Length == 0
                    ? Long(terminated, "signal") != 0
                        ? Invariant($"Init:Signal:{Long(terminated, "signal")}")
                        : Invariant($"Init:ExitCode:{Long(terminated, "exitCode")}")
                    : "Init:" + Str(terminated, "reason");
            }
            else if (waiting is not null && Str(waiting, "reason").Length > 0 && Str(waiting, "reason") != "PodInitializing")
            {
                reason = "Init:" + Str(waiting, "reason");
            }
            else
            {
                reason = Invariant($"Init:{i}/{initSpecs.Count}");
            }
            initializing = true;
            break;
        }

        var initializedTrue = conditions.Any(c => Str(c, "type") == "Initialized" && Str(c, "status") == "True");
        if (!initializing || initializedTrue)
        {
            restarts = restartableInitRestarts;
            lastRestart = lastRestartableInitRestart;
            var hasRunning = false;
            var statuses = Items(status["containerStatuses"]);
            for (var i = statuses.Count - 1; i >= 0; i--)
            {
                var c = statuses[i];
                restarts += Long(c, "restartCount");
                lastRestart = Later(lastRestart, Time(c["lastState"]?["terminated"]?["finishedAt"]));
                var waiting = c["state"]?["waiting"] as JsonObject;
                var terminated = c["state"]?["terminated"] as JsonObject;
                if (waiting is not null && Str(waiting, "reason").Length > 0)
                {
                    reason = Str(waiting, "reason");
                }
                else if (terminated is not null && Str(terminated, "reason").Length > 0)
                {
                    reason = Str(terminated, "reason");
                }
                else if (terminated is not null)
                {
                    reason = Long(terminated, "signal") != 0
                        ? Invariant($"Signal:{Long(terminated, "signal")}")
                        : Invariant($"ExitCode:{Long(terminated, "exitCode")}");
                }
                else if (Bool(c, "ready") && c["state"]?["running"] is JsonObject)
                {
                    hasRunning = true;
                    readyContainers++;
                }
            }
            if (reason == "Completed" && hasRunning)
            {
                reason = conditions.Any(c => Str(c, "type") == "Ready" && Str(c, "status") == "True") ? "Running" : "NotReady";
            }
        }

        var deleting = pod["metadata"]?["deletionTimestamp"] is not null;
        if (deleting && Str(status, "reason") == "NodeLost")
        {
            reason = "Unknown";
        }
        else if (deleting && phase is not ("Succeeded" or "Failed"))
        {
            reason = "Terminating";
        }

        var restartsText = restarts.ToString(CultureInfo.InvariantCulture);
        if (restarts != 0 && lastRestart is { } last)
        {
            restartsText = Invariant($"{restarts} ({HumanDuration.Since(last, now)} ago)");
        }

        var podIPs = Items(status["podIPs"]);
        var podIP = podIPs.Count > 0 ? Str(podIPs[0], "ip") : "";
        var readinessGates = Items(spec["readinessGates"]);
        var gates = "<none>";
        if (readinessGates.Count > 0)
        {
            var trueConditions = readinessGates.Count(g =>
                conditions.FirstOrDefault(c => Str(c, "type") == Str(g, "conditionType")) is { } c && Str(c, "status") == "True");
            gates = Invariant($"{trueConditions}/{readinessGates.Count}");
        }
        return
        [
            Name(pod), Invariant($"{readyContainers}/{totalContainers}"), reason, restartsText, Age(pod, now),
            OrNone(podIP), OrNone(Str(spec, "nodeName")), OrNone(Str(status, "nominatedNodeName")), gates,
        ];
    }

    private static JsonNode?[] DeploymentCells(JsonObject d, DateTimeOffset now)
    {
        var (names, images) = ContainerCells(d["spec"]?["template"]?["spec"]?["containers"]);
        string selector;
        try
        {
            selector = Selector.FromLabelSelector(d["spec"]?["selector"]).ToString();
        }
        catch (SelectorParseException)
        {
            selector = "<invalid>";
        }
        return
        [
            Name(d), Invariant($"{Long(d["status"], "readyReplicas")}/{Long(d["spec"], "replicas")}"),
            Long(d["status"], "updatedReplicas"), Long(d["status"], "availableReplicas"), Age(d, now),
            names, images, selector,
        ];
    }

    private static JsonNode?[] ReplicaSetCells(JsonObject rs, DateTimeOffset now)
    {
        var (names, images) = ContainerCells(rs["spec"]?["template"]?["spec"]?["containers"]);
        return
        [
            Name(rs), Long(rs["spec"], "replicas"), Long(rs["status"], "replicas"), Long(rs["status"], "readyReplicas"), Age(rs, now),
            names, images, FormatLabelSelector(rs["spec"]?["selector"]),
        ];
    }

    private static JsonNode?[] NodeCells(JsonObject node, DateTimeOffset now)
    {
        var status = new List<string>();
        var ready = Items(node["status"]?["conditions"]).LastOrDefault(c => Str(c, "type") == "Ready");
        if (ready is not null)
        {
            status.Add(Str(ready, "status") == "True" ? "Ready" : "NotReady");
        }
        if (status.Count == 0)
        {
            status.Add("Unknown");
        }
        if (Bool(node["spec"], "unschedulable"))
        {
            status.Add("SchedulingDisabled");
        }
        var roles = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var (key, value) in node["metadata"]?["labels"] as JsonObject ?? [])
        {
            if (key.StartsWith("node-role.kubernetes.io/", StringComparison.Ordinal))
            {
                var role = key["node-role.kubernetes.io/".Length..];
                if (role.Length > 0)
                {
                    roles.Add(role);
                }
            }
            else if (key == "kubernetes.io/role" && value?.ToString() is { Length: > 0 } v)
            {
                roles.Add(v);
            }
        }
        var info = node["status"]?["nodeInfo"];
        string Address(string type) =>
            Items(node["status"]?["addresses"]).FirstOrDefault(a => Str(a, "type") == type) is { } a ? Str(a, "address") : "<none>";
        string Unknown(string s) => s.Length == 0 ? "<unknown>" : s;
        return
        [
            Name(node), string.Join(",", status), roles.Count == 0 ? "<none>" : string.Join(",", roles), Age(node, now),
            Str(info, "kubeletVersion"),
            Address("InternalIP"), Address("ExternalIP"), Unknown(Str(info, "osImage")), Unknown(Str(info, "kernelVersion")),
            Unknown(Str(info, "containerRuntimeVersion")),
        ];
    }

    private static JsonNode?[] EventCells(JsonObject ev, DateTimeOffset now)
    {
        var firstTime = Time(ev["firstTimestamp"]);
        var first = firstTime is null ? HumanDuration.Since(Time(ev["eventTime"]), now) : HumanDuration.Since(firstTime, now);
        var lastTime = Time(ev["lastTimestamp"]);
        var last = lastTime is null ? first : HumanDuration.Since(lastTime, now);
        var count = Long(ev, "count");
        if (ev["series"] is JsonObject series)
        {
            last = HumanDuration.Since(Time(series["lastObservedTime"]), now);
            count = Long(series, "count");
        }
        else if (count == 0)
        {
            count = 1;
        }
        var involved = ev["involvedObject"];
        var kind = Str(involved, "kind").ToLowerInvariant();
        var target = Str(involved, "name").Length > 0 ? kind + "/" + Str(involved, "name") : kind;
        var component = FirstNonEmpty(Str(ev["source"], "component"), Str(ev, "reportingComponent"), Str(ev, "reportingController"));
        var instance = FirstNonEmpty(Str(ev["source"], "host"), Str(ev, "reportingInstance"));
        var source = instance.Length == 0 ? component : component + ", " + instance;
        return
        [
            last, Str(ev, "type"), Str(ev, "reason"), target, Str(involved, "fieldPath"), source, Str(ev, "message").Trim(),
            first, count, Name(ev),
        ];
    }

    private static JsonNode?[] ServiceCells(JsonObject svc, DateTimeOffset now)
    {
        var spec = svc["spec"];
        var clusterIPs = Items(spec?["clusterIPs"]);
        var internalIP = clusterIPs.Count > 0 ? clusterIPs[0]?.ToString() ?? "<none>"
            : Str(spec, "clusterIP") is { Length: > 0 } ip ? ip : "<none>";
        var type = Str(spec, "type");
        var externalIPs = Items(spec?["externalIPs"]).Select(n => n?.ToString() ?? "").ToList();
        string external;
        switch (type)
        {
            case "ClusterIP" or "NodePort":
                external = externalIPs.Count > 0 ? string.Join(",", externalIPs) : "<none>";
                break;
            case "LoadBalancer":
                var lb = Items(svc["status"]?["loadBalancer"]?["ingress"])
                    .Select(i => Str(i, "ip") is { Length: > 0 } a ? a : Str(i, "hostname"))
                    .Where(s => s.Length > 0).Distinct().Order(StringComparer.Ordinal).ToList();
                external = externalIPs.Count > 0 ? string.Join(",", lb.Concat(externalIPs)) : lb.Count > 0 ? string.Join(",", lb) : "<pending>";
                break;
            case "ExternalName":
                external = Str(spec, "externalName");
                break;
            default:
                external = "<unknown>";
                break;
        }
        var ports = string.Join(",", Items(spec?["ports"]).Select(p =>
        {
            var protocol = Str(p, "protocol");
            return Long(p, "nodePort") > 0
                ? Invariant($"{Long(p, "port")}:{Long(p, "nodePort")}/{protocol}")
                : Invariant($"{Long(p, "port")}/{protocol}");
        }));
        return [Name(svc), type, internalIP, external, ports.Length == 0 ? "<none>" : ports, Age(svc, now), FormatLabels(spec?["selector"])];
    }

    private static JsonObject CompletedCondition(string reason, string message) => new()
    {
        ["type"] = "Completed",
        ["status"] = "True",
        ["reason"] = reason,
        ["message"] = message,
    };

    private static (string Names, string Images) ContainerCells(JsonNode? containers)
    {
        var list = Items(containers);
        return (string.Join(",", list.Select(c => Str(c, "name"))), string.Join(",", list.Select(c => Str(c, "image"))));
    }

    /// <summary>metav1.FormatLabelSelector: "&lt;none&gt;" for an empty selector, "&lt;error&gt;" for an invalid one.</summary>
    public static string FormatLabelSelector(JsonNode? selector)
    {
        try
        {
            var text = Selector.FromLabelSelector(selector).ToString();
            return text.Length == 0 ? "<none>" : text;
        }
        catch (SelectorParseException)
        {
            return "<error>";
        }
    }

    /// <summary>labels.FormatLabels: "k=v,…" sorted by key, "&lt;none&gt;" when empty.</summary>
    public static string FormatLabels(JsonNode? labels)
    {
        var pairs = (labels as JsonObject ?? []).OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => kv.Key + "=" + kv.Value).ToList();
        return pairs.Count == 0 ? "<none>" : string.Join(",", pairs);
    }

    private static string Name(JsonObject obj) => Str(obj["metadata"], "name");

    private static string Age(JsonObject obj, DateTimeOffset now) => HumanDuration.Since(Time(obj["metadata"]?["creationTimestamp"]), now);

    private static string OrNone(string s) => s.Length == 0 ? "<none>" : s;

    private static string FirstNonEmpty(params string[] values) => values.FirstOrDefault(v => v.Length > 0) ?? "";

    private static DateTimeOffset? Later(DateTimeOffset? a, DateTimeOffset? b) => b is null || (a is not null && a >= b) ? a : b;

    private static List<JsonNode> Items(JsonNode? node) => node is JsonArray a ? [.. a.OfType<JsonNode>()] : [];

    private static long Count(JsonNode? map) => map is JsonObject o ? o.Count : 0;

    private static string Str(JsonNode? node, params string[] path)
    {
        foreach (var p in path)
        {
            node = node is JsonObject o ? o[p] : null;
        }
        return node is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : "";
    }

    private static long Long(JsonNode? node, string key) =>
        node?[key] is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<long>(out var l) ? l
        : node?[key] is JsonValue d && d.GetValueKind() == JsonValueKind.Number ? (long)d.GetValue<double>() : 0;

    private static bool Bool(JsonNode? node, string key) => node?[key] is JsonValue v && v.GetValueKind() == JsonValueKind.True;

    private static DateTimeOffset? Time(JsonNode? node) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.String
        && DateTimeOffset.TryParse(v.GetValue<string>(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t)
            ? t
            : null;

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
