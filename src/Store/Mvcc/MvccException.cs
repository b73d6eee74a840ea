namespace MiniKube.Store.Mvcc;

/// <summary>The MVCC errors clients can cause, with etcd's messages (mvcc/kvstore.go).</summary>
public sealed class MvccException(MvccError error) : Exception(MessageOf(error))
{
    public MvccError Error { get; } = error;

    private static string MessageOf(MvccError error) => error switch
    {
        MvccError.Compacted => "mvcc: required revision has been compacted",
        MvccError.FutureRevision => "mvcc: required revision is a future revision",
        _ => "mvcc: unknown error",
    };
}

public enum MvccError
{
    Compacted,
    FutureRevision,
}
