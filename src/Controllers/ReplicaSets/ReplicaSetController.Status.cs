using MiniKube.Api.Apps;
using MiniKube.Api.Core;
using MiniKube.Api.Serialization;
using MiniKube.Client;
using MiniKube.Controllers.Common;
using Rs = MiniKube.Api.Apps.ReplicaSet;

namespace MiniKube.Controllers.ReplicaSets;

/// <summary>Status (calculateStatus, updateReplicaSetStatus).</summary>
public sealed partial class ReplicaSetController
{
    public const string ReplicaFailure = "ReplicaFailure";

    /// <summary>The status the pods give; ReplicaFailure is set when managing replicas failed and cleared when it works again.</summary>
    public ReplicaSetStatus CalculateStatus(Rs rs, List<Pod> pods, Exception? manageError)
    {
        var templateLabels = rs.Spec?.Template?.Metadata?.Labels ?? [];
        var minReady = rs.Spec?.MinReadySeconds ?? 0;
        var now = _time.GetUtcNow();
        var conditions = rs.Status?.Conditions?.Select(ControllerRefs.DeepCopy).ToList() ?? [];
        var failure = conditions.FirstOrDefault(c => c.Type == ReplicaFailure);
        if (manageError is not null && failure is null)
        {
            var diff = pods.Count - (rs.Spec?.Replicas ?? 1);
            conditions.Add(new ReplicaSetCondition
            {
                Type = ReplicaFailure,
                Status = "True",
                Reason = diff < 0 ? "FailedCreate" : diff > 0 ? "FailedDelete" : "",
                Message = manageError.Message,
                LastTransitionTime = now,
            });
        }
        else if (manageError is null && failure is not null)
        {
            conditions.Remove(failure);
        }

        return new ReplicaSetStatus
        {
            Replicas = pods.Count,
            FullyLabeledReplicas = pods.Count(p => templateLabels.All(l => p.Metadata?.Labels?.GetValueOrDefault(l.Key) == l.Value)),
            ReadyReplicas = pods.Count(PodUtil.IsReady),
            AvailableReplicas = pods.Count(p => PodUtil.IsAvailable(p, minReady, now)),
            ObservedGeneration = rs.Metadata?.Generation,
            Conditions = conditions.Count == 0 ? null : conditions,
        };
    }

    /// <summary>Writes <paramref name="status"/> unless it is already there; on a conflict reads the ReplicaSet again and retries once.</summary>
    private async Task<Rs> UpdateStatusAsync(Rs rs, ReplicaSetStatus status, CancellationToken cancellationToken)
    {
        var current = rs;
        for (var attempt = 0; ; attempt++)
        {
            if (SameStatus(current.Status, status) && current.Status?.ObservedGeneration == current.Metadata?.Generation)
            {
                return current;
            }

            var copy = ControllerRefs.DeepCopy(current);
            status.ObservedGeneration = current.Metadata?.Generation;
            copy.Status = status;
            try
            {
                return await _client.UpdateStatusAsync(copy, cancellationToken).ConfigureAwait(false);
            }
            catch (KubeApiException e) when (e.IsConflict && attempt == 0)
            {
                current = await _client.GetAsync<Rs>(rs.Metadata?.Namespace, rs.Metadata?.Name ?? "", cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static bool SameStatus(ReplicaSetStatus? a, ReplicaSetStatus b) =>
        a is not null && ApiJson.Serialize(Without(a)) == ApiJson.Serialize(Without(b));

    /// <summary>The fields this controller writes (terminatingReplicas is not one of them).</summary>
    private static ReplicaSetStatus Without(ReplicaSetStatus s) => new()
    {
        Replicas = s.Replicas ?? 0,
        FullyLabeledReplicas = s.FullyLabeledReplicas ?? 0,
        ReadyReplicas = s.ReadyReplicas ?? 0,
        AvailableReplicas = s.AvailableReplicas ?? 0,
        ObservedGeneration = s.ObservedGeneration,
        Conditions = s.Conditions is { Count: > 0 } c ? c : null,
    };
}
