using MiniKube.Api.Core;

namespace MiniKube.Api.Validation;

/// <summary>ValidateEvent, in part: metadata and the involved object's namespace.</summary>
public sealed class EventValidator : KubernetesValidator<Event>
{
    protected override void ValidateObject(Event obj, List<FieldError> errors)
    {
        MetaValidation.ValidateObjectMeta(obj.Metadata, true, ValidationRules.NameIsDns1123Subdomain, "metadata", errors);
        var involved = obj.InvolvedObject?.Namespace;
        if (!string.IsNullOrEmpty(involved) && involved != obj.Metadata?.Namespace)
            errors.Add(FieldError.Invalid("involvedObject.namespace", involved, "does not match event.namespace"));
        if (obj.Type is not (null or "" or "Normal" or "Warning"))
            errors.Add(FieldError.NotSupported("type", obj.Type, ["Normal", "Warning"]));
    }
}
