using MiniKube.Api.Apps;
using MiniKube.Api.Meta;

namespace MiniKube.Api.Validation;

/// <summary>ValidateDeployment / ValidateDeploymentUpdate.</summary>
public sealed class DeploymentValidator : KubernetesValidator<Deployment>
{
    protected override void ValidateObject(Deployment obj, List<FieldError> errors)
    {
        MetaValidation.ValidateObjectMeta(obj.Metadata, true, ValidationRules.NameIsDns1123Subdomain, "metadata", errors);
        var spec = obj.Spec ?? new DeploymentSpec();
        WorkloadValidation.ValidateNonNegative(spec.Replicas, "spec.replicas", errors);
        WorkloadValidation.ValidateSelectorAndTemplate(spec.Selector, spec.Template, "deployment", "spec", errors);
        ValidateStrategy(spec.Strategy ?? new DeploymentStrategy(), "spec.strategy", errors);
        WorkloadValidation.ValidateNonNegative(spec.MinReadySeconds, "spec.minReadySeconds", errors);
        WorkloadValidation.ValidateNonNegative(spec.RevisionHistoryLimit, "spec.revisionHistoryLimit", errors);
        if (spec.ProgressDeadlineSeconds is { } deadline)
        {
            WorkloadValidation.ValidateNonNegative(deadline, "spec.progressDeadlineSeconds", errors);
            if (deadline <= (spec.MinReadySeconds ?? 0))
                errors.Add(FieldError.Invalid("spec.progressDeadlineSeconds", deadline, "must be greater than minReadySeconds"));
        }
    }

    protected override void ValidateUpdate(Deployment obj, Deployment old, List<FieldError> errors)
    {
        base.ValidateUpdate(obj, old, errors);
        WorkloadValidation.ValidateSelectorUnchanged(obj.Spec?.Selector, old.Spec?.Selector, "spec.selector", errors);
    }

    protected override void ValidateStatusUpdate(Deployment obj, Deployment old, List<FieldError> errors)
    {
        base.ValidateStatusUpdate(obj, old, errors);
        var status = obj.Status ?? new DeploymentStatus();
        WorkloadValidation.ValidateNonNegative(status.ObservedGeneration, "status.observedGeneration", errors);
        WorkloadValidation.ValidateNonNegative(status.Replicas, "status.replicas", errors);
        WorkloadValidation.ValidateNonNegative(status.UpdatedReplicas, "status.updatedReplicas", errors);
        WorkloadValidation.ValidateNonNegative(status.ReadyReplicas, "status.readyReplicas", errors);
        WorkloadValidation.ValidateNonNegative(status.AvailableReplicas, "status.availableReplicas", errors);
        WorkloadValidation.ValidateNonNegative(status.UnavailableReplicas, "status.unavailableReplicas", errors);
        WorkloadValidation.ValidateNonNegative(status.CollisionCount, "status.collisionCount", errors);
        WorkloadValidation.ValidateReplicaCounts(status.Replicas ?? 0, [("updatedReplicas", status.UpdatedReplicas), ("readyReplicas", status.ReadyReplicas), ("availableReplicas", status.AvailableReplicas)], status.ReadyReplicas ?? 0, status.AvailableReplicas ?? 0, errors);
    }

    private static void ValidateStrategy(DeploymentStrategy strategy, string path, List<FieldError> errors)
    {
        switch (strategy.Type)
        {
            case "Recreate":
                if (strategy.RollingUpdate is not null)
                    errors.Add(FieldError.Forbidden(path + ".rollingUpdate", "may not be specified when strategy `type` is 'Recreate'"));
                break;
            case "RollingUpdate":
                if (strategy.RollingUpdate is null)
                    errors.Add(FieldError.Required(path + ".rollingUpdate", "this should be defaulted and never be nil"));
                else
                    ValidateRollingUpdate(strategy.RollingUpdate, path + ".rollingUpdate", errors);
                break;
            default:
                errors.Add(FieldError.NotSupported(path + ".type", strategy.Type ?? "", ["Recreate", "RollingUpdate"]));
                break;
        }
    }

    private static void ValidateRollingUpdate(RollingUpdateDeployment rollingUpdate, string path, List<FieldError> errors)
    {
        var maxUnavailable = rollingUpdate.MaxUnavailable ?? 0;
        var maxSurge = rollingUpdate.MaxSurge ?? 0;
        ValidatePositiveIntOrPercent(maxUnavailable, path + ".maxUnavailable", errors);
        ValidatePositiveIntOrPercent(maxSurge, path + ".maxSurge", errors);
        if (IntOrPercentValue(maxUnavailable) == 0 && IntOrPercentValue(maxSurge) == 0)
            errors.Add(FieldError.Invalid(path + ".maxUnavailable", maxUnavailable, "may not be 0 when `maxSurge` is 0"));
        if (maxUnavailable.IsString && ValidationRules.IsValidPercent(maxUnavailable.StringValue!).Count == 0 && IntOrPercentValue(maxUnavailable) > 100)
            errors.Add(FieldError.Invalid(path + ".maxUnavailable", maxUnavailable, "must not be greater than 100%"));
    }

    private static void ValidatePositiveIntOrPercent(IntOrString value, string path, List<FieldError> errors)
    {
        if (value.IsString)
        {
            foreach (var message in ValidationRules.IsValidPercent(value.StringValue!))
                errors.Add(FieldError.Invalid(path, value, message));
        }
        else if (value.IntValue < 0)
            errors.Add(FieldError.Invalid(path, (long)value.IntValue, "must be greater than or equal to 0"));
    }

    private static int IntOrPercentValue(IntOrString value) =>
        !value.IsString ? value.IntValue
        : int.TryParse(value.StringValue!.TrimEnd('%'), out var percent) ? percent : -1;
}
