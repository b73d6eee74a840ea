using MiniKube.Api.Core;

namespace MiniKube.Api.Validation;

/// <summary>ValidatePodBinding: the target is a node, by name.</summary>
public sealed class BindingValidator : KubernetesValidator<Binding>
{
    protected override void ValidateObject(Binding obj, List<FieldError> errors)
    {
        MetaValidation.ValidateObjectMeta(obj.Metadata, true, ValidationRules.NameIsDns1123Subdomain, "metadata", errors);
        if (!string.IsNullOrEmpty(obj.Target?.Kind) && obj.Target.Kind != "Node")
            errors.Add(FieldError.NotSupported("target.kind", obj.Target.Kind, ["Node"]));
        if (string.IsNullOrEmpty(obj.Target?.Name))
            errors.Add(FieldError.Required("target.name"));
    }
}
