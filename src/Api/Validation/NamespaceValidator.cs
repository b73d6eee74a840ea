using MiniKube.Api.Core;

namespace MiniKube.Api.Validation;

/// <summary>ValidateNamespace: a DNS-1123 label name, no namespace; finalizers qualified names.</summary>
public sealed class NamespaceValidator : KubernetesValidator<Namespace>
{
    protected override void ValidateObject(Namespace obj, List<FieldError> errors)
    {
        MetaValidation.ValidateObjectMeta(obj.Metadata, false, ValidationRules.NameIsDns1123Label, "metadata", errors);
        for (var i = 0; i < (obj.Spec?.Finalizers?.Count ?? 0); i++)
        {
            var finalizer = obj.Spec!.Finalizers![i];
            foreach (var message in ValidationRules.IsQualifiedName(finalizer))
                errors.Add(FieldError.Invalid("spec.finalizers", finalizer, message));
        }
    }
}
