using System.Globalization;
using System.Text.Json.Nodes;

namespace MiniKube.Cli.Kube;

/// <summary>
/// The pure parts of <c>rollout</c>, as kubectl's polymorphichelpers compute them: the status message of a
/// Deployment, its ReplicaSets by revision, and the patch that rolls it back to one of them.
/// </summary>
public static class DeploymentRollout
{
    public const string RevisionAnnotation = "deployment.kubernetes.io/revision";
    public const string ChangeCauseAnnotation = "kubernetes.io/change-cause";
    public const string RestartedAtAnnotation = "kubectl.kubernetes.io/restartedAt";
    public const string PodTemplateHashLabel = "pod-template-hash";

    /// <summary>The annotations a rollback keeps from the Deployment rather than copying from the ReplicaSet
    /// (kubectl's annotationsToSkip).</summary>
    private static readonly HashSet<string> AnnotationsToSkip =
    [
        ApplyVerb.LastAppliedAnnotation,
        RevisionAnnotation,
        "deployment.kubernetes.io/revision-history",
        "deployment.kubernetes.io/desired-replicas",
        "deployment.kubernetes.io/max-replicas",
        "deprecated.deployment.rollback.to",
    ];

    /// <summary>kubectl's DeploymentStatusViewer: the message, and whether the rollout is done. Throws when the
    /// progress deadline was exceeded.</summary>
    public static (string Message, bool Done) Status(JsonObject deployment)
    {
        var name = (string?)deployment["metadata"]?["name"];
        var generation = (long?)deployment["metadata"]?["generation"] ?? 0;
        var status = deployment["status"] as JsonObject ?? [];
        if (generation > ((long?)status["observedGeneration"] ?? 0))
        {
            return ("Waiting for deployment spec update to be observed...", false);
        }

        var progressing = (status["conditions"] as JsonArray ?? []).OfType<JsonObject>().FirstOrDefault(c => (string?)c["type"] == "Progressing");
        if ((string?)progressing?["reason"] == "ProgressDeadlineExceeded")
        {
            throw new KubeCommandException($"deployment \"{name}\" exceeded its progress deadline");
        }

        var desired = (int?)deployment["spec"]?["replicas"];
        var replicas = (int?)status["replicas"] ?? 0;
        var updated = (int?)status["updatedReplicas"] ?? 0;
        var available = (int?)status["availableReplicas"] ?? 0;
        if (desired is { } d && updated < d)
        {
            return ($"Waiting for deployment \"{name}\" rollout to finish: {updated} out of {d} new replicas have been updated...", false);
        }

        if (replicas > updated)
        {
            return ($"Waiting for deployment \"{name}\" rollout to finish: {replicas - updated} old replicas are pending termination...", false);
        }

        if (available < updated)
        {
            return ($"Waiting for deployment \"{name}\" rollout to finish: {available} of {updated} updated replicas are available...", false);
        }

        return ($"deployment \"{name}\" successfully rolled out", true);
    }

    /// <summary>(available updated, desired) for the progress bar.</summary>
    public static (int Done, int Total) Progress(JsonObject deployment)
    {
        var status = deployment["status"] as JsonObject ?? [];
        var desired = (int?)deployment["spec"]?["replicas"] ?? 1;
        return (Math.Min((int?)status["updatedReplicas"] ?? 0, (int?)status["availableReplicas"] ?? 0), desired);
    }

    /// <summary>The ReplicaSets the Deployment controls (ownerReference with its uid and controller=true), by revision.</summary>
    public static SortedDictionary<long, JsonObject> ByRevision(JsonObject deployment, IEnumerable<JsonObject> replicaSets)
    {
        var uid = (string?)deployment["metadata"]?["uid"];
        var result = new SortedDictionary<long, JsonObject>();
        foreach (var rs in replicaSets)
        {
            var owned = (rs["metadata"]?["ownerReferences"] as JsonArray ?? []).OfType<JsonObject>()
                .Any(o => (string?)o["uid"] == uid && (bool?)o["controller"] == true);
            if (owned && Revision(rs) is { } revision)
            {
                result[revision] = rs;
            }
        }

        return result;
    }

    public static long? Revision(JsonObject obj) =>
        long.TryParse((string?)obj["metadata"]?["annotations"]?[RevisionAnnotation], NumberStyles.None, CultureInfo.InvariantCulture, out var r) ? r : null;

    /// <summary>
    /// kubectl 1.32's DeploymentRollbacker: the JSON patch that puts the ReplicaSet of <paramref name="toRevision"/>
    /// (0: the one before the latest) back as the Deployment's template, minus the pod-template-hash label, with the
    /// ReplicaSet's annotations; or null with the "skipped rollback" message when the template already matches.
    /// </summary>
    public static (string? Patch, string Message) Rollback(JsonObject deployment, SortedDictionary<long, JsonObject> history, long toRevision)
    {
        var name = (string?)deployment["metadata"]?["name"];
        if ((bool?)deployment["spec"]?["paused"] == true)
        {
            throw new KubeCommandException("you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume' and try again");
        }

        JsonObject rs;
        if (toRevision > 0)
        {
            rs = history.GetValueOrDefault(toRevision) ?? throw new KubeCommandException($"unable to find specified revision {toRevision} in history");
        }
        else
        {
            if (history.Count < 2)
            {
                throw new KubeCommandException($"no rollout history found for deployment \"{name}\"");
            }

            rs = history.Values.Reverse().Skip(1).First();
        }

        var template = rs["spec"]?["template"]?.DeepClone() as JsonObject ?? throw new KubeCommandException("the replica set has no pod template");
        (template["metadata"]?["labels"] as JsonObject)?.Remove(PodTemplateHashLabel);
        if (JsonNode.DeepEquals(Normalized(template), Normalized(deployment["spec"]?["template"])))
        {
            return (null, $"skipped rollback (current template already matches revision {Revision(rs)})");
        }

        var annotations = new JsonObject();
        foreach (var (key, value) in deployment["metadata"]?["annotations"] as JsonObject ?? [])
        {
            if (AnnotationsToSkip.Contains(key))
            {
                annotations[key] = value?.DeepClone();
            }
        }

        foreach (var (key, value) in rs["metadata"]?["annotations"] as JsonObject ?? [])
        {
            if (!AnnotationsToSkip.Contains(key))
            {
                annotations[key] = value?.DeepClone();
            }
        }

        var patch = new JsonArray
        {
            new JsonObject { ["op"] = "replace", ["path"] = "/spec/template", ["value"] = template },
            new JsonObject { ["op"] = "replace", ["path"] = "/metadata/annotations", ["value"] = annotations },
        };
        return (patch.ToJsonString(), "rolled back");
    }

    /// <summary>The merge patch of <c>rollout restart</c>: a new template annotation, hence a new ReplicaSet.</summary>
    public static string RestartPatch(DateTimeOffset now) => new JsonObject
    {
        ["spec"] = new JsonObject
        {
            ["template"] = new JsonObject
            {
                ["metadata"] = new JsonObject
                {
                    ["annotations"] = new JsonObject { [RestartedAtAnnotation] = now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture) },
                },
            },
        },
    }.ToJsonString();

    /// <summary>A template with its empty maps removed, so that {} and absent compare equal (as apiequality does with
    /// nil and empty maps).</summary>
    private static JsonNode? Normalized(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                var copy = new JsonObject();
                foreach (var (key, value) in obj)
                {
                    var v = Normalized(value);
                    if (v is not null && !(v is JsonObject o && o.Count == 0) && !(v is JsonArray a && a.Count == 0))
                    {
                        copy[key] = v;
                    }
                }

                return copy;
            case JsonArray array:
                return new JsonArray([.. array.Select(Normalized)]);
            default:
                return node?.DeepClone();
        }
    }
}
