namespace MiniKube.Api.Meta;

/// <summary>metav1.Preconditions: a delete happens only if these still hold.</summary>
public sealed class Preconditions
{
    public string? Uid { get; set; }

    public string? ResourceVersion { get; set; }
}
