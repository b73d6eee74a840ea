namespace MiniKube.Api.Core;

/// <summary>core/v1 ExecAction.</summary>
public sealed class ExecAction
{
    public List<string>? Command { get; set; }
}
