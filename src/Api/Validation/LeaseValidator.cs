using MiniKube.Api.Coordination;

namespace MiniKube.Api.Validation;

/// <summary>ValidateLease: positive duration, non-negative transitions.</summary>
public sealed class LeaseValidator : KubernetesValidator<Lease>
{
    protected override void ValidateObject(Lease obj, List<FieldError> errors)
    {
        MetaValidation.ValidateObjectMeta(obj.Metadata, true, ValidationRules.NameIsDns1123Subdomain, "metadata", errors);
        if (obj.Spec?.LeaseDurationSeconds is <= 0)
            errors.Add(FieldError.Invalid("spec.leaseDurationSeconds", obj.Spec.LeaseDurationSeconds.Value, "must be greater than 0"));
        if (obj.Spec?.LeaseTransitions is < 0)
            errors.Add(FieldError.Invalid("spec.leaseTransitions", obj.Spec.LeaseTransitions.Value, "must be greater than or equal to 0"));
        if (obj.Spec?.Strategy is { Length: > 0 } strategy && strategy != "OldestEmulationVersion")
            errors.Add(FieldError.NotSupported("spec.strategy", strategy, ["OldestEmulationVersion"]));
    }
}
