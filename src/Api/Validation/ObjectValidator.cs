using FluentValidation;
using MiniKube.Api.Meta;

namespace MiniKube.Api.Validation;

/// <summary>Validates any served kind, on create (old null) or on update.</summary>
public static class ObjectValidator
{
    private static readonly Dictionary<Type, IValidator> Validators = new()
    {
        [typeof(Core.Pod)] = new PodValidator(),
        [typeof(Core.Namespace)] = new NamespaceValidator(),
        [typeof(Core.Node)] = new NodeValidator(),
        [typeof(Core.Service)] = new ServiceValidator(),
        [typeof(Core.ConfigMap)] = new ConfigMapValidator(),
        [typeof(Core.Secret)] = new SecretValidator(),
        [typeof(Core.Event)] = new EventValidator(),
        [typeof(Core.Binding)] = new BindingValidator(),
        [typeof(Apps.Deployment)] = new DeploymentValidator(),
        [typeof(Apps.ReplicaSet)] = new ReplicaSetValidator(),
        [typeof(Coordination.Lease)] = new LeaseValidator(),
        [typeof(Autoscaling.Scale)] = new ScaleValidator(),
    };

    public static IReadOnlyList<FieldError> Validate(IKubernetesObject obj, IKubernetesObject? old = null) =>
        Run(obj, old, statusOnly: false);

    /// <summary>Validates a write to the status subresource: identity unchanged and the status itself sane
    /// (for pods, deployments and replicasets, as k8s's Validate…StatusUpdate).</summary>
    public static IReadOnlyList<FieldError> ValidateStatusUpdate(IKubernetesObject obj, IKubernetesObject old) =>
        Run(obj, old ?? throw new ArgumentNullException(nameof(old)), statusOnly: true);

    private static IReadOnlyList<FieldError> Run(IKubernetesObject obj, IKubernetesObject? old, bool statusOnly)
    {
        ArgumentNullException.ThrowIfNull(obj);
        if (!Validators.TryGetValue(obj.GetType(), out var validator))
            throw new ArgumentException($"no validator for {obj.GetType().Name}", nameof(obj));
        if (old is not null && old.GetType() != obj.GetType())
            throw new ArgumentException($"old is a {old.GetType().Name}, not a {obj.GetType().Name}", nameof(old));
        var context = new ValidationContext<object>(obj);
        if (old is not null)
            context.RootContextData[KubernetesValidator<Core.Pod>.OldObjectKey] = old;
        if (statusOnly)
            context.RootContextData[KubernetesValidator<Core.Pod>.StatusOnlyKey] = true;
        var result = validator.Validate(context);
        return [.. result.Errors.Select(failure => (FieldError)failure.CustomState)];
    }
}
