namespace MiniKube.Testing.Linearizability;

/// <summary>One integer register, initially 0, with read, write and compare-and-set (Knossos's cas-register).</summary>
public sealed class RegisterModel : IModel<int, RegisterInput, RegisterOutput>
{
    public static readonly RegisterModel Instance = new();

    public int Init() => 0;

    public (bool Ok, int State) Step(int state, RegisterInput input, RegisterOutput? output) => input.Op switch
    {
        RegisterOp.Read => (output is null || output.Value == state, state),
        RegisterOp.Write => (true, input.Value),
        RegisterOp.Cas when output is null => (true, state == input.Expected ? input.Value : state),
        RegisterOp.Cas => output.Succeeded
            ? (state == input.Expected, input.Value)
            : (state != input.Expected, state),
        _ => throw new ArgumentOutOfRangeException(nameof(input)),
    };

    public bool Equal(int left, int right) => left == right;

    public int Hash(int state) => state;

    public string DescribeOperation(RegisterInput input, RegisterOutput? output) => input.Op switch
    {
        RegisterOp.Read => $"read → {(output is null ? "?" : output.Value)}",
        RegisterOp.Write => $"write {input.Value}{(output is null ? " → ?" : "")}",
        _ => $"cas {input.Expected}→{input.Value} → {(output is null ? "?" : output.Succeeded ? "ok" : "failed")}",
    };

    public string DescribeState(int state) => state.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
