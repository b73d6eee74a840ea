namespace MiniKube.Store.Consensus.Transport;

/// <summary>The HTTP names of etcd's peer protocol (rafthttp/http.go, util.go), which ours follows.</summary>
public static class PeerHeaders
{
    public const string ClusterId = "X-Etcd-Cluster-ID";
    public const string From = "X-Server-From";
    public const string To = "X-Raft-To";
    public const string ServerVersion = "X-Server-Version";

    public const string StreamPath = "/raft/stream";
    public const string SnapshotPath = "/raft/snapshot";
    public const string MembersPath = "/members";
    public const string VersionPath = "/version";

    /// <summary>etcd's answer, with 412, to a peer of another cluster.</summary>
    public const string ClusterIdMismatch = "request cluster ID mismatch";

    /// <summary>etcd's answer, with 410 Gone, to a member removed from the cluster.</summary>
    public const string RemovedMember = "the member has been permanently removed from the cluster";

    /// <summary>IDs travel as etcd's types.ID prints them: lowercase hex.</summary>
    public static string FormatId(ulong id) => id.ToString("x");

    public static bool TryParseId(string? text, out ulong id) =>
        ulong.TryParse(text, System.Globalization.NumberStyles.AllowHexSpecifier, null, out id);
}
