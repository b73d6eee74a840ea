using MiniKube.Api.Meta;

namespace MiniKube.Api.Validation;

/// <summary>apimachinery's ObjectMeta, label, annotation and label-selector validation.</summary>
public static class MetaValidation
{
    private static readonly string[] StandardFinalizers = ["kubernetes", "orphan", "foregroundDeletion"];

    /// <summary>ValidateObjectMeta: name (or generateName) by <paramref name="nameRule"/>, namespace required
    /// exactly when <paramref name="namespaced"/>, labels, annotations, owner references, finalizers.</summary>
    public static void ValidateObjectMeta(ObjectMeta? meta, bool namespaced, Func<string, bool, List<string>> nameRule,
        string path, List<FieldError> errors)
    {
        meta ??= new ObjectMeta();
        if (!string.IsNullOrEmpty(meta.GenerateName))
        {
            foreach (var message in nameRule(meta.GenerateName, true))
                errors.Add(FieldError.Invalid(path + ".generateName", meta.GenerateName, message));
        }
        if (string.IsNullOrEmpty(meta.Name))
        {
            // The apiserver fills the name from generateName before validating; without either it is missing.
            if (string.IsNullOrEmpty(meta.GenerateName))
                errors.Add(FieldError.Required(path + ".name", "name or generateName is required"));
        }
        else
        {
            foreach (var message in nameRule(meta.Name, false))
                errors.Add(FieldError.Invalid(path + ".name", meta.Name, message));
        }
        if (namespaced)
        {
            if (string.IsNullOrEmpty(meta.Namespace))
                errors.Add(FieldError.Required(path + ".namespace"));
            else
            {
                foreach (var message in ValidationRules.NameIsDns1123Label(meta.Namespace, false))
                    errors.Add(FieldError.Invalid(path + ".namespace", meta.Namespace, message));
            }
        }
        else if (!string.IsNullOrEmpty(meta.Namespace))
            errors.Add(FieldError.Forbidden(path + ".namespace", "not allowed on this type"));
        if (meta.Generation < 0)
            errors.Add(FieldError.Invalid(path + ".generation", meta.Generation.Value, "must be greater than or equal to 0"));
        ValidateLabels(meta.Labels, path + ".labels", errors);
        ValidateAnnotations(meta.Annotations, path + ".annotations", errors);
        ValidateOwnerReferences(meta.OwnerReferences, path + ".ownerReferences", errors);
        foreach (var finalizer in meta.Finalizers ?? [])
        {
            var messages = ValidationRules.IsQualifiedName(finalizer);
            foreach (var message in messages)
                errors.Add(FieldError.Invalid(path + ".finalizers", finalizer, message));
            if (messages.Count == 0 && !finalizer.Contains('/', StringComparison.Ordinal) && !StandardFinalizers.Contains(finalizer))
                errors.Add(FieldError.Invalid(path + ".finalizers", finalizer, "name is neither a standard finalizer name nor is it fully qualified"));
        }
    }

    /// <summary>Only labels and annotations are checked in a pod template's metadata.</summary>
    public static void ValidateTemplateMeta(ObjectMeta? meta, string path, List<FieldError> errors)
    {
        ValidateLabels(meta?.Labels, path + ".labels", errors);
        ValidateAnnotations(meta?.Annotations, path + ".annotations", errors);
    }

    /// <summary>ValidateObjectMetaUpdate: the identity of an object does not change.</summary>
    public static void ValidateObjectMetaUpdate(ObjectMeta? updated, ObjectMeta? old, string path, List<FieldError> errors)
    {
        updated ??= new ObjectMeta();
        old ??= new ObjectMeta();
        ValidateImmutable(updated.Name, old.Name, path + ".name", errors);
        ValidateImmutable(updated.Namespace, old.Namespace, path + ".namespace", errors);
        ValidateImmutable(updated.Uid, old.Uid, path + ".uid", errors);
        if (updated.CreationTimestamp != old.CreationTimestamp && updated.CreationTimestamp is not null)
            errors.Add(FieldError.Invalid(path + ".creationTimestamp", updated.CreationTimestamp.Value.ToString("u"), "field is immutable"));
    }

    public static void ValidateImmutable(string? updated, string? old, string path, List<FieldError> errors)
    {
        if (!string.Equals(updated ?? "", old ?? "", StringComparison.Ordinal))
            errors.Add(FieldError.Invalid(path, updated ?? "", "field is immutable"));
    }

    public static void ValidateLabels(IReadOnlyDictionary<string, string>? labels, string path, List<FieldError> errors)
    {
        foreach (var (key, value) in labels ?? new Dictionary<string, string>())
        {
            foreach (var message in ValidationRules.IsQualifiedName(key))
                errors.Add(FieldError.Invalid(path, key, message));
            foreach (var message in ValidationRules.IsValidLabelValue(value))
                errors.Add(FieldError.Invalid(path, value, message));
        }
    }

    public static void ValidateAnnotations(IReadOnlyDictionary<string, string>? annotations, string path, List<FieldError> errors)
    {
        if (annotations is null)
            return;
        long size = 0;
        foreach (var (key, value) in annotations)
        {
            // Annotation keys are qualified names in any case.
            foreach (var message in ValidationRules.IsQualifiedName(key.ToLowerInvariant()))
                errors.Add(FieldError.Invalid(path, key, message));
            size += System.Text.Encoding.UTF8.GetByteCount(key) + System.Text.Encoding.UTF8.GetByteCount(value);
        }
        if (size > ValidationRules.TotalAnnotationSizeLimit)
            errors.Add(FieldError.TooLong(path, ValidationRules.TotalAnnotationSizeLimit));
    }

    public static void ValidateOwnerReferences(List<OwnerReference>? references, string path, List<FieldError> errors)
    {
        if (references is null)
            return;
        var controllers = new List<string>();
        foreach (var reference in references)
        {
            var version = reference.ApiVersion is null ? "" : reference.ApiVersion[(reference.ApiVersion.IndexOf('/', StringComparison.Ordinal) + 1)..];
            if (version.Length == 0)
                errors.Add(FieldError.Invalid(path + ".apiVersion", reference.ApiVersion ?? "", "version must not be empty"));
            if (string.IsNullOrEmpty(reference.Kind))
                errors.Add(FieldError.Invalid(path + ".kind", reference.Kind ?? "", "kind must not be empty"));
            if (string.IsNullOrEmpty(reference.Name))
                errors.Add(FieldError.Invalid(path + ".name", reference.Name ?? "", "name must not be empty"));
            if (string.IsNullOrEmpty(reference.Uid))
                errors.Add(FieldError.Invalid(path + ".uid", reference.Uid ?? "", "uid must not be empty"));
            if (reference.Controller == true)
                controllers.Add(reference.Name ?? "");
        }
        if (controllers.Count > 1)
            errors.Add(FieldError.Invalid(path, references, $"Only one reference can have Controller set to true. Found \"true\" in references for {string.Join(" and ", controllers)}"));
    }

    public static void ValidateLabelSelector(LabelSelector? selector, string path, List<FieldError> errors)
    {
        if (selector is null)
            return;
        ValidateLabels(selector.MatchLabels, path + ".matchLabels", errors);
        for (var i = 0; i < (selector.MatchExpressions?.Count ?? 0); i++)
        {
            var requirement = selector.MatchExpressions![i];
            var at = $"{path}.matchExpressions[{i}]";
            switch (requirement.Operator)
            {
                case "In" or "NotIn":
                    if (requirement.Values is not { Count: > 0 })
                        errors.Add(FieldError.Required(at + ".values", "must be specified when `operator` is 'In' or 'NotIn'"));
                    break;
                case "Exists" or "DoesNotExist":
                    if (requirement.Values is { Count: > 0 })
                        errors.Add(FieldError.Forbidden(at + ".values", "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
                    break;
                default:
                    errors.Add(FieldError.Invalid(at + ".operator", requirement.Operator ?? "", "not a valid selector operator"));
                    break;
            }
            foreach (var message in ValidationRules.IsQualifiedName(requirement.Key ?? ""))
                errors.Add(FieldError.Invalid(at + ".key", requirement.Key ?? "", message));
            for (var v = 0; v < (requirement.Values?.Count ?? 0); v++)
            {
                foreach (var message in ValidationRules.IsValidLabelValue(requirement.Values![v]))
                    errors.Add(FieldError.Invalid($"{at}.values[{v}]", requirement.Values[v], message));
            }
        }
    }

    public static bool IsEmpty(LabelSelector? selector) =>
        selector is null || ((selector.MatchLabels?.Count ?? 0) + (selector.MatchExpressions?.Count ?? 0)) == 0;

    /// <summary>Whether a label set satisfies a selector (matchLabels and matchExpressions ANDed); an empty
    /// selector matches everything.</summary>
    public static bool Matches(LabelSelector selector, IReadOnlyDictionary<string, string>? labels)
    {
        labels ??= new Dictionary<string, string>();
        foreach (var (key, value) in selector.MatchLabels ?? [])
        {
            if (!labels.TryGetValue(key, out var actual) || actual != value)
                return false;
        }
        foreach (var requirement in selector.MatchExpressions ?? [])
        {
            var has = labels.TryGetValue(requirement.Key ?? "", out var actual);
            var values = requirement.Values ?? [];
            var ok = requirement.Operator switch
            {
                "In" => has && values.Contains(actual!),
                "NotIn" => !has || !values.Contains(actual!),
                "Exists" => has,
                "DoesNotExist" => !has,
                _ => false,
            };
            if (!ok)
                return false;
        }
        return true;
    }
}
