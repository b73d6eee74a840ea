using MiniKube.Api.Core;
using MiniKube.Api.Meta;
using MiniKube.Client;
using MiniKube.Client.Cache;
using MiniKube.Client.Events;
using MiniKube.Controllers.Common;
using Rs = MiniKube.Api.Apps.ReplicaSet;

namespace MiniKube.Controllers.ReplicaSets;

/// <summary>Creating and deleting pods (manageReplicas).</summary>
public sealed partial class ReplicaSetController
{
    /// <summary>
    /// Runs <paramref name="count"/> calls in batches of 1, 2, 4, … (k8s' slowStartBatch), so that a call that
    /// fails every time (a quota, a bad template) costs one request instead of hundreds. Returns the successes,
    /// and the first error of the batch that stopped it.
    /// </summary>
    public static async Task<(int Successes, Exception? Error)> SlowStartBatchAsync(int count, int initialBatchSize, Func<Task> call)
    {
        var remaining = count;
        var successes = 0;
        for (var batch = Math.Min(remaining, initialBatchSize); batch > 0; batch = Math.Min(2 * batch, remaining))
        {
            var tasks = Enumerable.Range(0, batch).Select(_ => call()).ToList();
            try
            {
                await Task.WhenAll(tasks).ConfigureAwait(false);
            }
            catch (Exception)
            {
                // Inspected per task below.
            }

            successes += tasks.Count(t => t.IsCompletedSuccessfully);
            if (tasks.FirstOrDefault(t => !t.IsCompletedSuccessfully) is { } failed)
            {
                return (successes, failed.Exception?.InnerException ?? new TaskCanceledException(failed));
            }

            remaining -= batch;
        }

        return (successes, null);
    }

    /// <summary>The pod a ReplicaSet stamps out of its template (controller.GetPodFromTemplate).</summary>
    public static Pod PodFromTemplate(Rs rs)
    {
        var template = ControllerRefs.DeepCopy(rs.Spec?.Template ?? new PodTemplateSpec());
        return new Pod
        {
            ApiVersion = "v1",
            Kind = "Pod",
            Metadata = new ObjectMeta
            {
                GenerateName = $"{rs.Metadata?.Name}-",
                Namespace = rs.Metadata?.Namespace,
                Labels = template.Metadata?.Labels,
                Annotations = template.Metadata?.Annotations,
                Finalizers = template.Metadata?.Finalizers,
                OwnerReferences = [ControllerRefs.NewControllerRef(rs, ApiVersion, Kind)],
            },
            Spec = template.Spec,
        };
    }

    private async Task ManageReplicasAsync(List<Pod> pods, Rs rs, string key, CancellationToken cancellationToken)
    {
        var diff = pods.Count - (rs.Spec?.Replicas ?? 1);
        if (diff < 0)
        {
            var toCreate = Math.Min(-diff, BurstReplicas);
            // Expect before creating: the informer may show a new pod before CreateAsync returns.
            Expectations.ExpectCreations(key, toCreate);
            var (successes, error) = await SlowStartBatchAsync(toCreate, 1, () => CreatePodAsync(rs, cancellationToken)).ConfigureAwait(false);
            var skipped = toCreate - successes;
            if (skipped > 0)
            {
                Expectations.LowerCreations(key, skipped);
            }

            if (error is not null && !IsNamespaceTerminating(error))
            {
                throw error;
            }
        }
        else if (diff > 0)
        {
            var toDelete = GetPodsToDelete(pods, Math.Min(diff, BurstReplicas));
            var podKeys = toDelete.Select(ObjectKeys.KeyOf).ToList();
            Expectations.ExpectDeletions(key, podKeys);
            var results = await Task.WhenAll(toDelete.Select(pod => DeletePodAsync(rs, key, pod, cancellationToken))).ConfigureAwait(false);
            if (results.FirstOrDefault(e => e is not null) is { } error)
            {
                throw error;
            }
        }
    }

    /// <summary>The <paramref name="count"/> pods to delete first, by <see cref="ActivePodsWithRanks"/>; a pod's rank is how many of the others share its node.</summary>
    public List<Pod> GetPodsToDelete(List<Pod> pods, int count)
    {
        var perNode = pods.Where(p => !string.IsNullOrEmpty(p.Spec?.NodeName)).GroupBy(p => p.Spec!.NodeName!).ToDictionary(g => g.Key, g => g.Count());
        var ranks = pods.ToDictionary(p => p, p => string.IsNullOrEmpty(p.Spec?.NodeName) ? 0 : perNode[p.Spec!.NodeName!], ReferenceEqualityComparer.Instance as IEqualityComparer<Pod>);
        return [.. pods.Order(new ActivePodsWithRanks(ranks, _time.GetUtcNow())).Take(count)];
    }

    private async Task CreatePodAsync(Rs rs, CancellationToken cancellationToken)
    {
        try
        {
            var created = await _client.CreateAsync(PodFromTemplate(rs), cancellationToken).ConfigureAwait(false);
            _ = _events.Event(ReferenceTo(rs), EventRecorder.Normal, "SuccessfulCreate", $"Created pod: {created.Metadata?.Name}");
        }
        catch (KubeApiException e)
        {
            _ = _events.Event(ReferenceTo(rs), EventRecorder.Warning, "FailedCreate", $"Error creating: {e.Message}");
            throw;
        }
    }

    /// <summary>Null on success (or when the pod was gone already), else the error.</summary>
    private async Task<Exception?> DeletePodAsync(Rs rs, string key, Pod pod, CancellationToken cancellationToken)
    {
        try
        {
            await _client.DeleteAsync<Pod>(pod.Metadata?.Namespace, pod.Metadata?.Name ?? "", cancellationToken: cancellationToken).ConfigureAwait(false);
            _ = _events.Event(ReferenceTo(rs), EventRecorder.Normal, "SuccessfulDelete", $"Deleted pod: {pod.Metadata?.Name}");
            return null;
        }
        catch (Exception e) when (e is KubeApiException or HttpRequestException or OperationCanceledException)
        {
            // This deletion will never be observed: do not wait for it.
            Expectations.DeletionObserved(key, ObjectKeys.KeyOf(pod));
            if (e is KubeApiException { IsNotFound: true })
            {
                return null;
            }

            _ = _events.Event(ReferenceTo(rs), EventRecorder.Warning, "FailedDelete", $"Error deleting: {e.Message}");
            return e;
        }
    }

    private static bool IsNamespaceTerminating(Exception e) =>
        e is KubeApiException k && k.Status.Details?.Causes?.Any(c => c.Reason == "NamespaceTerminating") == true;

    private static ObjectReference ReferenceTo(Rs rs) => new()
    {
        ApiVersion = ApiVersion,
        Kind = Kind,
        Namespace = rs.Metadata?.Namespace,
        Name = rs.Metadata?.Name,
        Uid = rs.Metadata?.Uid,
        ResourceVersion = rs.Metadata?.ResourceVersion,
    };
}
