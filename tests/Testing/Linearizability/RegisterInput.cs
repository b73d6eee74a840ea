namespace MiniKube.Testing.Linearizability;

public enum RegisterOp
{
    Read,
    Write,

    /// <summary>Compare-and-set: writes <see cref="RegisterInput.Value"/> if the register holds <see cref="RegisterInput.Expected"/>.</summary>
    Cas,
}

public sealed record RegisterInput(RegisterOp Op, int Value = 0, int Expected = 0)
{
    public static RegisterInput Read() => new(RegisterOp.Read);

    public static RegisterInput Write(int value) => new(RegisterOp.Write, value);

    public static RegisterInput Cas(int expected, int value) => new(RegisterOp.Cas, value, expected);
}

/// <summary>A read's value, or whether a compare-and-set succeeded; a write's output carries nothing.</summary>
public sealed record RegisterOutput(int Value = 0, bool Succeeded = false)
{
    public static readonly RegisterOutput Written = new();
}
