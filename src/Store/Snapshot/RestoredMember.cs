namespace MiniKube.Store.Snapshot;

/// <summary>A member of the cluster a restore creates, named as etcd names it (ID from its peer URLs and the token).</summary>
public sealed record RestoredMember(string Name, ulong Id, IReadOnlyList<Uri> PeerUrls);
