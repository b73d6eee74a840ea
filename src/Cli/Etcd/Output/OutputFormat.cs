namespace MiniKube.Cli.Etcd.Output;

/// <summary>How a command prints its result (-o / --write-out).</summary>
public enum OutputFormat
{
    /// <summary>MiniKube's own: every field labelled, values pretty-printed, a summary line.</summary>
    Readable,

    /// <summary>etcdctl's default: bare keys and values, one per line.</summary>
    Simple,

    /// <summary>etcdctl -w json: the response as etcd's Go structs marshal it (base64 keys and values).</summary>
    Json,

    /// <summary>A bordered table, as etcdctl -w table.</summary>
    Table,
}
