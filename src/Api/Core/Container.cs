namespace MiniKube.Api.Core;

/// <summary>core/v1 Container.</summary>
public sealed class Container
{
    public string? Name { get; set; }

    public string? Image { get; set; }

    public List<string>? Command { get; set; }

    public List<string>? Args { get; set; }

    public string? WorkingDir { get; set; }

    public List<ContainerPort>? Ports { get; set; }

    public List<EnvFromSource>? EnvFrom { get; set; }

    public List<EnvVar>? Env { get; set; }

    public ResourceRequirements? Resources { get; set; }

    /// <summary>Only Always, on init containers (sidecars).</summary>
    public string? RestartPolicy { get; set; }

    public List<VolumeMount>? VolumeMounts { get; set; }

    public Probe? LivenessProbe { get; set; }

    public Probe? ReadinessProbe { get; set; }

    public Probe? StartupProbe { get; set; }

    public Lifecycle? Lifecycle { get; set; }

    public string? TerminationMessagePath { get; set; }

    public string? TerminationMessagePolicy { get; set; }

    public string? ImagePullPolicy { get; set; }

    public SecurityContext? SecurityContext { get; set; }

    public bool? Stdin { get; set; }

    public bool? StdinOnce { get; set; }

    public bool? Tty { get; set; }
}
