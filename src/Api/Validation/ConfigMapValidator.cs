using MiniKube.Api.Core;

namespace MiniKube.Api.Validation;

/// <summary>ValidateConfigMap / ValidateConfigMapUpdate: keys, the 1 MiB limit, immutability.</summary>
public sealed class ConfigMapValidator : KubernetesValidator<ConfigMap>
{
    public const int MaxSize = 1024 * 1024;

    protected override void ValidateObject(ConfigMap obj, List<FieldError> errors)
    {
        MetaValidation.ValidateObjectMeta(obj.Metadata, true, ValidationRules.NameIsDns1123Subdomain, "metadata", errors);
        long size = 0;
        foreach (var (key, value) in obj.Data ?? [])
        {
            foreach (var message in ValidationRules.IsConfigMapKey(key))
                errors.Add(FieldError.Invalid($"data[{key}]", key, message));
            if (obj.BinaryData?.ContainsKey(key) == true)
                errors.Add(FieldError.Invalid($"data[{key}]", key, "duplicate of key present in binaryData"));
            size += value.Length;
        }
        foreach (var (key, value) in obj.BinaryData ?? [])
        {
            foreach (var message in ValidationRules.IsConfigMapKey(key))
                errors.Add(FieldError.Invalid($"binaryData[{key}]", key, message));
            size += value.Length * 3L / 4;
        }
        if (size > MaxSize)
            errors.Add(FieldError.TooLong("", MaxSize));
    }

    protected override void ValidateUpdate(ConfigMap obj, ConfigMap old, List<FieldError> errors)
    {
        base.ValidateUpdate(obj, old, errors);
        if (old.Immutable != true)
            return;
        if (obj.Immutable != true)
            errors.Add(FieldError.Forbidden("immutable", "field is immutable when `immutable` is set"));
        if (!SameMap(obj.Data, old.Data))
            errors.Add(FieldError.Forbidden("data", "field is immutable when `immutable` is set"));
        if (!SameMap(obj.BinaryData, old.BinaryData))
            errors.Add(FieldError.Forbidden("binaryData", "field is immutable when `immutable` is set"));
    }

    internal static bool SameMap(Dictionary<string, string>? a, Dictionary<string, string>? b) =>
        (a?.Count ?? 0) == (b?.Count ?? 0) && (a ?? []).All(kv => b!.TryGetValue(kv.Key, out var v) && v == kv.Value);
}
