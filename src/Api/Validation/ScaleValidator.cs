using MiniKube.Api.Autoscaling;

namespace MiniKube.Api.Validation;

/// <summary>ValidateScale: replicas not negative.</summary>
public sealed class ScaleValidator : KubernetesValidator<Scale>
{
    protected override void ValidateObject(Scale obj, List<FieldError> errors)
    {
        MetaValidation.ValidateObjectMeta(obj.Metadata, true, ValidationRules.NameIsDns1123Subdomain, "metadata", errors);
        if (obj.Spec?.Replicas is < 0)
            errors.Add(FieldError.Invalid("spec.replicas", obj.Spec.Replicas.Value, "must be greater than or equal to 0"));
    }
}
