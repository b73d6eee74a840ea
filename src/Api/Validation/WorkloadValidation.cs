using MiniKube.Api.Core;
using MiniKube.Api.Meta;

namespace MiniKube.Api.Validation;

/// <summary>What deployments and replicasets share (apps/validation): the selector and the pod template.</summary>
public static class WorkloadValidation
{
    /// <summary>k8s says "empty selector is invalid for deployment" for replicasets too, so both pass "deployment".</summary>
    public static void ValidateSelectorAndTemplate(LabelSelector? selector, PodTemplateSpec? template, string kindForMessage,
        string path, List<FieldError> errors)
    {
        if (selector is null)
            errors.Add(FieldError.Required(path + ".selector"));
        else
        {
            MetaValidation.ValidateLabelSelector(selector, path + ".selector", errors);
            if (MetaValidation.IsEmpty(selector))
                errors.Add(FieldError.Invalid(path + ".selector", selector, $"empty selector is invalid for {kindForMessage}"));
        }
        var templatePath = path + ".template";
        if (template is null)
        {
            errors.Add(FieldError.Required(templatePath));
            return;
        }
        if (selector is not null && !MetaValidation.IsEmpty(selector) && !MetaValidation.Matches(selector, template.Metadata?.Labels))
            errors.Add(FieldError.Invalid(templatePath + ".metadata.labels", template.Metadata?.Labels ?? [], "`selector` does not match template `labels`"));
        MetaValidation.ValidateTemplateMeta(template.Metadata, templatePath + ".metadata", errors);
        PodSpecValidation.ValidatePodSpec(template.Spec, templatePath + ".spec", errors);
        var restartPolicy = template.Spec?.RestartPolicy;
        if (!string.IsNullOrEmpty(restartPolicy) && restartPolicy != "Always")
            errors.Add(FieldError.NotSupported(templatePath + ".spec.restartPolicy", restartPolicy, ["Always"]));
        if (template.Spec?.ActiveDeadlineSeconds is not null)
            errors.Add(FieldError.Forbidden(templatePath + ".spec.activeDeadlineSeconds", "activeDeadlineSeconds in ReplicaSet is not Supported"));
    }

    public static void ValidateNonNegative(long? value, string path, List<FieldError> errors)
    {
        if (value is < 0)
            errors.Add(FieldError.Invalid(path, value.Value, "must be greater than or equal to 0"));
    }

    /// <summary>apps/v1 forbids changing the selector of a workload.</summary>
    public static void ValidateSelectorUnchanged(LabelSelector? updated, LabelSelector? old, string path, List<FieldError> errors)
    {
        var a = Serialization.ApiJson.Serialize(updated ?? new LabelSelector());
        var b = Serialization.ApiJson.Serialize(old ?? new LabelSelector());
        if (a != b)
            errors.Add(FieldError.Invalid(path, updated, "field is immutable"));
    }

    /// <summary>The status counts of a workload: none above status.replicas, available not above ready.</summary>
    public static void ValidateReplicaCounts(int replicas, IEnumerable<(string Name, int? Value)> counts, int ready, int available,
        List<FieldError> errors)
    {
        foreach (var (name, value) in counts)
        {
            if (value > replicas)
                errors.Add(FieldError.Invalid($"status.{name}", (long)value.Value, "cannot be greater than status.replicas"));
        }
        if (available > ready)
            errors.Add(FieldError.Invalid("status.availableReplicas", (long)available, "cannot be greater than readyReplicas"));
    }
}
