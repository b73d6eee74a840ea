using MiniKube.Api.Core;

namespace MiniKube.Api.Validation;

/// <summary>ValidateService / ValidateServiceUpdate: a DNS-1035 name, type, ports, session affinity, clusterIP.</summary>
public sealed class ServiceValidator : KubernetesValidator<Service>
{
    private static readonly string[] Types = ["ClusterIP", "ExternalName", "LoadBalancer", "NodePort"];
    private static readonly string[] Affinities = ["ClientIP", "None"];

    protected override void ValidateObject(Service obj, List<FieldError> errors)
    {
        MetaValidation.ValidateObjectMeta(obj.Metadata, true, ValidationRules.NameIsDns1035Label, "metadata", errors);
        var spec = obj.Spec ?? new ServiceSpec();
        if (string.IsNullOrEmpty(spec.Type))
            errors.Add(FieldError.Required("spec.type"));
        else if (!Types.Contains(spec.Type))
            errors.Add(FieldError.NotSupported("spec.type", spec.Type, Types));
        if (spec.Type == "ExternalName")
        {
            if (string.IsNullOrEmpty(spec.ExternalName))
                errors.Add(FieldError.Required("spec.externalName"));
            else
            {
                foreach (var message in ValidationRules.IsDns1123Subdomain(spec.ExternalName.TrimEnd('.')))
                    errors.Add(FieldError.Invalid("spec.externalName", spec.ExternalName, message));
            }
        }
        else if (spec.Ports is not { Count: > 0 })
            errors.Add(FieldError.Required("spec.ports"));
        var names = new HashSet<string>();
        for (var i = 0; i < (spec.Ports?.Count ?? 0); i++)
        {
            var port = spec.Ports![i];
            var at = $"spec.ports[{i}]";
            if (spec.Ports.Count > 1 && string.IsNullOrEmpty(port.Name))
                errors.Add(FieldError.Required(at + ".name"));
            else if (!string.IsNullOrEmpty(port.Name))
            {
                foreach (var message in ValidationRules.IsDns1123Label(port.Name))
                    errors.Add(FieldError.Invalid(at + ".name", port.Name, message));
                if (!names.Add(port.Name))
                    errors.Add(FieldError.Duplicate(at + ".name", port.Name));
            }
            foreach (var message in ValidationRules.IsValidPortNum(port.Port ?? 0))
                errors.Add(FieldError.Invalid(at + ".port", port.Port ?? 0, message));
            if (string.IsNullOrEmpty(port.Protocol))
                errors.Add(FieldError.Required(at + ".protocol"));
            else if (!PodSpecValidation.Protocols.Contains(port.Protocol))
                errors.Add(FieldError.NotSupported(at + ".protocol", port.Protocol, PodSpecValidation.Protocols));
            PodSpecValidation.ValidatePortNumOrName(port.TargetPort ?? port.Port ?? 0, at + ".targetPort", errors);
            if (port.NodePort is { } nodePort and not 0)
            {
                if (spec.Type is "ClusterIP" or "ExternalName")
                    errors.Add(FieldError.Forbidden(at + ".nodePort", $"may not be used when `type` is '{spec.Type}'"));
                foreach (var message in ValidationRules.IsValidPortNum(nodePort))
                    errors.Add(FieldError.Invalid(at + ".nodePort", nodePort, message));
            }
        }
        if (string.IsNullOrEmpty(spec.SessionAffinity))
            errors.Add(FieldError.Required("spec.sessionAffinity"));
        else if (!Affinities.Contains(spec.SessionAffinity))
            errors.Add(FieldError.NotSupported("spec.sessionAffinity", spec.SessionAffinity, Affinities));
        MetaValidation.ValidateLabels(spec.Selector, "spec.selector", errors);
        if (!string.IsNullOrEmpty(spec.ClusterIP) && spec.ClusterIP != "None")
        {
            foreach (var message in ValidationRules.IsValidIP(spec.ClusterIP))
                errors.Add(FieldError.Invalid("spec.clusterIPs[0]", spec.ClusterIP, message));
        }
    }

    protected override void ValidateUpdate(Service obj, Service old, List<FieldError> errors)
    {
        base.ValidateUpdate(obj, old, errors);
        var oldIp = old.Spec?.ClusterIP;
        var newIp = obj.Spec?.ClusterIP;
        if (!string.IsNullOrEmpty(oldIp) && !string.IsNullOrEmpty(newIp) && oldIp != newIp && obj.Spec?.Type != "ExternalName")
            errors.Add(FieldError.Invalid("spec.clusterIPs[0]", newIp, "may not change once set"));
    }
}
