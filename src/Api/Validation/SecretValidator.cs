using MiniKube.Api.Core;

namespace MiniKube.Api.Validation;

/// <summary>ValidateSecret / ValidateSecretUpdate: keys, base64 values, the 1 MiB limit, type and immutability.</summary>
public sealed class SecretValidator : KubernetesValidator<Secret>
{
    protected override void ValidateObject(Secret obj, List<FieldError> errors)
    {
        MetaValidation.ValidateObjectMeta(obj.Metadata, true, ValidationRules.NameIsDns1123Subdomain, "metadata", errors);
        long size = 0;
        foreach (var (key, value) in obj.Data ?? [])
        {
            foreach (var message in ValidationRules.IsConfigMapKey(key))
                errors.Add(FieldError.Invalid($"data[{key}]", key, message));
            var buffer = new byte[value.Length];
            if (!Convert.TryFromBase64String(value, buffer, out var length))
                errors.Add(FieldError.Invalid($"data[{key}]", "<value omitted>", "illegal base64 data"));
            size += length;
        }
        if (size > ConfigMapValidator.MaxSize)
            errors.Add(FieldError.TooLong("data", ConfigMapValidator.MaxSize));
        if (obj.Type == "kubernetes.io/tls")
        {
            foreach (var key in new[] { "tls.crt", "tls.key" })
            {
                if (obj.Data?.ContainsKey(key) != true)
                    errors.Add(FieldError.Required($"data[{key}]"));
            }
        }
    }

    protected override void ValidateUpdate(Secret obj, Secret old, List<FieldError> errors)
    {
        base.ValidateUpdate(obj, old, errors);
        MetaValidation.ValidateImmutable(obj.Type, old.Type, "type", errors);
        if (old.Immutable != true)
            return;
        if (obj.Immutable != true)
            errors.Add(FieldError.Forbidden("immutable", "field is immutable when `immutable` is set"));
        if (!ConfigMapValidator.SameMap(obj.Data, old.Data))
            errors.Add(FieldError.Forbidden("data", "field is immutable when `immutable` is set"));
    }
}
