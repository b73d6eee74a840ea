namespace MiniKube.Etcd.Client;

/// <summary>The order of a sorted range (RangeRequest.SortOrder; same numbering). None means by key, ascending.</summary>
public enum SortOrder
{
    None = 0,
    Ascend = 1,
    Descend = 2,
}
