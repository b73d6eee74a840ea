namespace MiniKube.Api.Core;

/// <summary>core/v1 HTTPHeader.</summary>
public sealed class HTTPHeader
{
    public string? Name { get; set; }

    public string? Value { get; set; }
}
