namespace MiniKube.Api.Meta;

/// <summary>metav1.DeleteOptions; PropagationPolicy is Orphan, Background or Foreground.</summary>
public sealed class DeleteOptions : ITypeMeta
{
    public string? ApiVersion { get; set; }

    public string? Kind { get; set; }

    public long? GracePeriodSeconds { get; set; }

    public Preconditions? Preconditions { get; set; }

    public bool? OrphanDependents { get; set; }

    public string? PropagationPolicy { get; set; }

    public List<string>? DryRun { get; set; }
}
