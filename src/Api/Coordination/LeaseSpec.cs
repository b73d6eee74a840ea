using System.Text.Json.Serialization;
using MiniKube.Api.Serialization;

namespace MiniKube.Api.Coordination;

/// <summary>coordination.k8s.io/v1 LeaseSpec; the times are MicroTime.</summary>
public sealed class LeaseSpec
{
    public string? HolderIdentity { get; set; }

    public int? LeaseDurationSeconds { get; set; }

    [JsonConverter(typeof(MicroTimeConverter))]
    public DateTimeOffset? AcquireTime { get; set; }

    [JsonConverter(typeof(MicroTimeConverter))]
    public DateTimeOffset? RenewTime { get; set; }

    public int? LeaseTransitions { get; set; }

    public string? Strategy { get; set; }

    public string? PreferredHolder { get; set; }
}
