namespace MiniKube.Cli.Bench;

/// <summary>The names <c>--op</c> takes, which are etcd benchmark's subcommand names.</summary>
public static class StoreOpNames
{
    public static readonly IReadOnlyList<string> All = ["put", "range", "txn-put", "watch"];

    public static string Of(StoreOp op) => op switch
    {
        StoreOp.Put => "put",
        StoreOp.Range => "range",
        StoreOp.TxnPut => "txn-put",
        StoreOp.Watch => "watch",
        _ => throw new ArgumentOutOfRangeException(nameof(op)),
    };

    public static StoreOp Parse(string name) => name switch
    {
        "put" => StoreOp.Put,
        "range" => StoreOp.Range,
        "txn-put" => StoreOp.TxnPut,
        "watch" => StoreOp.Watch,
        _ => throw new ArgumentException($"unknown op \"{name}\": expected one of {string.Join(", ", All)}", nameof(name)),
    };
}
