namespace MiniKube.Etcd.Client;

/// <summary>What a range is sorted by (RangeRequest.SortTarget; same numbering).</summary>
public enum SortTarget
{
    Key = 0,
    Version = 1,
    CreateRevision = 2,
    ModRevision = 3,
    Value = 4,
}
