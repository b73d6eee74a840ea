namespace MiniKube.Api.Meta;

/// <summary>metav1.ServerAddressByClientCIDR.</summary>
public sealed class ServerAddressByClientCIDR
{
    public string? ClientCIDR { get; set; }

    public string? ServerAddress { get; set; }
}
