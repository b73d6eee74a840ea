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

    private static readonly string[] Phases = ["Pending", "Running", "Succeeded", "Failed", "Unknown"];

    protected override void ValidateStatusUpdate(Pod obj, Pod old, List<FieldError> errors)
    {
        base.ValidateStatusUpdate(obj, old, errors);
        var status = obj.Status ?? new PodStatus();
        if ((obj.Spec?.NodeName ?? "") != (old.Spec?.NodeName ?? ""))
            errors.Add(FieldError.Forbidden("status.nodeName", "may not be changed directly"));
        if (!string.IsNullOrEmpty(status.Phase) && !Phases.Contains(status.Phase))
            errors.Add(FieldError.NotSupported("status.phase", status.Phase, Phases));
        if (!string.IsNullOrEmpty(status.NominatedNodeName) && status.NominatedNodeName != old.Status?.NominatedNodeName)
        {
            foreach (var message in ValidationRules.IsDns1123Subdomain(status.NominatedNodeName))
                errors.Add(FieldError.Invalid("status.nominatedNodeName", status.NominatedNodeName, message));
        }
        for (var i = 0; i < (status.Conditions?.Count ?? 0); i++)
        {
            var type = status.Conditions![i].Type ?? "";
            foreach (var message in ValidationRules.IsQualifiedName(type))
                errors.Add(FieldError.Invalid($"status.conditions[{i}].type", type, message));
        }
        var ips = status.PodIPs ?? [];
        for (var i = 0; i < ips.Count; i++)
        {
            foreach (var message in ValidationRules.IsValidIP(ips[i].Ip ?? ""))
                errors.Add(FieldError.Invalid($"status.podIPs[{i}]", ips[i].Ip ?? "", message));
        }
        if (ips.Count > 0 && status.PodIP != ips[0].Ip)
            errors.Add(FieldError.Invalid("status.podIPs[0]", ips[0].Ip ?? "", "must be equal to status.podIP"));
    }
}
