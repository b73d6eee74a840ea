using MiniKube.Api.Core;

namespace MiniKube.Api.Validation;

/// <summary>ValidatePodCreate / ValidatePodUpdate.</summary>
public sealed class PodValidator : KubernetesValidator<Pod>
{
    protected override void ValidateObject(Pod obj, List<FieldError> errors)
    {
        MetaValidation.ValidateObjectMeta(obj.Metadata, true, ValidationRules.NameIsDns1123Subdomain, "metadata", errors);
        PodSpecValidation.ValidatePodSpec(obj.Spec, "spec", errors);
    }

    protected override void ValidateUpdate(Pod obj, Pod old, List<FieldError> errors)
    {
        base.ValidateUpdate(obj, old, errors);
        PodSpecValidation.ValidatePodSpecUpdate(obj.Spec ?? new PodSpec(), old.Spec ?? new PodSpec(), "spec", errors);
    }
}
