using MiniKube.Api.Core;

namespace MiniKube.Api.Validation;

/// <summary>ValidateNode / ValidateNodeUpdate: name, taints, podCIDR set once.</summary>
public sealed class NodeValidator : KubernetesValidator<Node>
{
    protected override void ValidateObject(Node obj, List<FieldError> errors)
    {
        MetaValidation.ValidateObjectMeta(obj.Metadata, false, ValidationRules.NameIsDns1123Subdomain, "metadata", errors);
        var seen = new HashSet<(string, string)>();
        for (var i = 0; i < (obj.Spec?.Taints?.Count ?? 0); i++)
        {
            var taint = obj.Spec!.Taints![i];
            var at = $"spec.taints[{i}]";
            foreach (var message in ValidationRules.IsQualifiedName(taint.Key ?? ""))
                errors.Add(FieldError.Invalid(at + ".key", taint.Key ?? "", message));
            var valueErrors = ValidationRules.IsValidLabelValue(taint.Value ?? "");
            if (valueErrors.Count > 0)
                errors.Add(FieldError.Invalid(at + ".value", taint.Value ?? "", string.Join(";", valueErrors)));
            PodSpecValidation.ValidateTaintEffect(taint.Effect, false, at + ".effect", errors);
            if (!seen.Add((taint.Key ?? "", taint.Effect ?? "")))
                errors.Add(FieldError.Duplicate(at, taint, "taints must be unique by key and effect pair"));
        }
        foreach (var cidr in obj.Spec?.PodCIDRs ?? [])
        {
            if (!IsCidr(cidr))
                errors.Add(FieldError.Invalid("spec.podCIDRs", cidr, "must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)"));
        }
    }

    protected override void ValidateUpdate(Node obj, Node old, List<FieldError> errors)
    {
        base.ValidateUpdate(obj, old, errors);
        if (!string.IsNullOrEmpty(old.Spec?.PodCIDR) && old.Spec.PodCIDR != obj.Spec?.PodCIDR)
            errors.Add(FieldError.Forbidden("spec.podCIDRs", "node updates may not change podCIDR except from \"\" to valid"));
        if (!string.IsNullOrEmpty(old.Spec?.ProviderID) && old.Spec.ProviderID != obj.Spec?.ProviderID)
            errors.Add(FieldError.Forbidden("spec.providerID", "node updates may not change providerID except from \"\" to valid"));
    }

    private static bool IsCidr(string text) => System.Net.IPNetwork.TryParse(text, out _);
}
