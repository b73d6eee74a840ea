namespace MiniKube.Client.Config;

/// <summary>Where and how to reach one apiserver (clientcmd's restclient.Config, the parts used so far).</summary>
public sealed record ClientConfig
{
    public required Uri Server { get; init; }

    /// <summary>The context's namespace, "default" when it names none.</summary>
    public string Namespace { get; init; } = "default";

    public string? BearerToken { get; init; }

    public bool InsecureSkipTlsVerify { get; init; }

    /// <summary>For each request except watches.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);

    public string UserAgent { get; init; } = "minikube-client/v1";
}
