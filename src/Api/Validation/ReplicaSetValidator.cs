using MiniKube.Api.Apps;

namespace MiniKube.Api.Validation;

/// <summary>ValidateReplicaSet / ValidateReplicaSetUpdate.</summary>
public sealed class ReplicaSetValidator : KubernetesValidator<ReplicaSet>
{
    protected override void ValidateObject(ReplicaSet obj, List<FieldError> errors)
    {
        MetaValidation.ValidateObjectMeta(obj.Metadata, true, ValidationRules.NameIsDns1123Subdomain, "metadata", errors);
        var spec = obj.Spec ?? new ReplicaSetSpec();
        WorkloadValidation.ValidateNonNegative(spec.Replicas, "spec.replicas", errors);
        WorkloadValidation.ValidateNonNegative(spec.MinReadySeconds, "spec.minReadySeconds", errors);
        WorkloadValidation.ValidateSelectorAndTemplate(spec.Selector, spec.Template, "deployment", "spec", errors);
    }

    protected override void ValidateUpdate(ReplicaSet obj, ReplicaSet old, List<FieldError> errors)
    {
        base.ValidateUpdate(obj, old, errors);
        WorkloadValidation.ValidateSelectorUnchanged(obj.Spec?.Selector, old.Spec?.Selector, "spec.selector", errors);
    }

    protected override void ValidateStatusUpdate(ReplicaSet obj, ReplicaSet old, List<FieldError> errors)
    {
        base.ValidateStatusUpdate(obj, old, errors);
        var status = obj.Status ?? new ReplicaSetStatus();
        WorkloadValidation.ValidateNonNegative(status.Replicas, "status.replicas", errors);
        WorkloadValidation.ValidateNonNegative(status.FullyLabeledReplicas, "status.fullyLabeledReplicas", errors);
        WorkloadValidation.ValidateNonNegative(status.ReadyReplicas, "status.readyReplicas", errors);
        WorkloadValidation.ValidateNonNegative(status.AvailableReplicas, "status.availableReplicas", errors);
        WorkloadValidation.ValidateNonNegative(status.ObservedGeneration, "status.observedGeneration", errors);
        WorkloadValidation.ValidateReplicaCounts(status.Replicas ?? 0, [("fullyLabeledReplicas", status.FullyLabeledReplicas), ("readyReplicas", status.ReadyReplicas), ("availableReplicas", status.AvailableReplicas)], status.ReadyReplicas ?? 0, status.AvailableReplicas ?? 0, errors);
    }
}
