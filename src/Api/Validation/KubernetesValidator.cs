using FluentValidation;
using FluentValidation.Results;
using MiniKube.Api.Meta;

namespace MiniKube.Api.Validation;

/// <summary>The FluentValidation validator of one kind. Each kind states its checks in k8s's own order and
/// wording (its paths are k8s's JSON paths, not FluentValidation's property chains); the previous object of an
/// update travels in the context's root data.</summary>
public abstract class KubernetesValidator<T> : AbstractValidator<T> where T : class, IKubernetesObject
{
    public const string OldObjectKey = "old";
    public const string StatusOnlyKey = "statusOnly";

    protected KubernetesValidator()
    {
        RuleFor(obj => obj).Custom((obj, context) =>
        {
            var old = context.RootContextData.TryGetValue(OldObjectKey, out var value) ? value as T : null;
            var errors = new List<FieldError>();
            if (context.RootContextData.ContainsKey(StatusOnlyKey) && old is not null)
                ValidateStatusUpdate(obj, old, errors);
            else
            {
                ValidateObject(obj, errors);
                if (old is not null)
                    ValidateUpdate(obj, old, errors);
            }
            foreach (var error in errors)
                context.AddFailure(new ValidationFailure(error.Field, error.Message) { ErrorCode = error.Type, CustomState = error });
        });
    }

    /// <summary>The checks of a create, also run on every update.</summary>
    protected abstract void ValidateObject(T obj, List<FieldError> errors);

    /// <summary>The checks of a write to the status subresource, where the spec is not the writer's to change
    /// (the apiserver keeps the stored spec).</summary>
    protected virtual void ValidateStatusUpdate(T obj, T old, List<FieldError> errors) =>
        MetaValidation.ValidateObjectMetaUpdate(obj.Metadata, old.Metadata, "metadata", errors);

    /// <summary>The extra checks of an update (immutable fields).</summary>
    protected virtual void ValidateUpdate(T obj, T old, List<FieldError> errors) =>
        MetaValidation.ValidateObjectMetaUpdate(obj.Metadata, old.Metadata, "metadata", errors);
}
