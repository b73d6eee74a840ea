using System.Text.Json;
using MiniKube.Raft.Pb;
using MiniKube.Store.Backend;
using MiniKube.Store.Snapshot;

namespace MiniKube.Store.Server.Membership;

/// <summary>
/// The membership in an etcd snapshot: the "members" bucket (hex ID → member JSON), the
/// "members_removed" bucket (hex ID → "removed") and, in "meta", the Raft configuration as etcd 3.5
/// keeps it ("confState", JSON). A leader's snapshot carries them to the member it catches up.
/// </summary>
public static class MembershipSnapshot
{
    /// <summary>The Raft configuration as of the applied index, in the meta table (a serialized <see cref="ConfState"/>).</summary>
    public static readonly byte[] ConfStateKey = "conf_state"u8.ToArray();

    /// <summary>
    /// The members bucket's entries in key order; a backend without a registry (a single member
    /// from before membership was replicated) lists just <paramref name="identity"/>.
    /// </summary>
    public static void WriteMembers(IBackendReader view, ClusterIdentity identity, BoltFileWriter bolt)
    {
        var any = false;
        using (var it = view.Iterate(BackendTable.Meta, MemberRegistry.MemberPrefix, MemberRegistry.PrefixEnd(MemberRegistry.MemberPrefix)))
        {
            for (it.SeekToFirst(); it.Valid; it.Next())
            {
                bolt.Add(it.Key[MemberRegistry.MemberPrefix.Length..], it.Value);
                any = true;
            }
        }

        if (!any)
        {
            var self = new ClusterMember(
                identity.MemberId,
                identity.Name,
                [.. identity.PeerUrls.Select(Services.ClusterService.Format)],
                [.. identity.ClientUrls.Select(Services.ClusterService.Format)],
                IsLearner: false);
            bolt.Add(MemberRegistry.HexId(identity.MemberId), self.ToJson());
        }
    }

    public static void WriteRemoved(IBackendReader view, BoltFileWriter bolt)
    {
        using var it = view.Iterate(BackendTable.Meta, MemberRegistry.RemovedPrefix, MemberRegistry.PrefixEnd(MemberRegistry.RemovedPrefix));
        for (it.SeekToFirst(); it.Valid; it.Next())
        {
            bolt.Add(it.Key[MemberRegistry.RemovedPrefix.Length..], it.Value);
        }
    }

    /// <summary>etcd 3.5's meta "confState": the ConfState as JSON; null when the backend has none.</summary>
    public static byte[]? ConfStateJson(IBackendReader view)
    {
        if (view.Get(BackendTable.Meta, ConfStateKey) is not { } stored)
        {
            return null;
        }

        var confState = ConfState.Parser.ParseFrom(stored);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            WriteIds(json, "voters", confState.Voters);
            WriteIds(json, "learners", confState.Learners);
            json.WriteBoolean("auto_leave", false);
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <summary>What a snapshot says of the membership; empty lists and a null configuration when it says nothing.</summary>
    public static (List<ClusterMember> Members, List<ulong> Removed, ConfState? ConfState) Read(BoltFileReader bolt)
    {
        var members = bolt.Bucket("members"u8) is { } bucket ? bucket.Pairs().Select(p => ClusterMember.FromJson(p.Value)).ToList() : [];
        var removed = bolt.Bucket("members_removed"u8) is { } removedBucket
            ? removedBucket.Pairs().Select(p => MemberRegistry.ParseHexId(p.Key)).ToList()
            : [];
        ConfState? confState = null;
        if (bolt.Bucket("meta"u8)?.Pairs().Where(p => p.Key.AsSpan().SequenceEqual("confState"u8)).Select(p => p.Value).FirstOrDefault() is { } json)
        {
            using var document = JsonDocument.Parse(json);
            confState = new ConfState();
            confState.Voters.AddRange(Ids(document.RootElement, "voters"));
            confState.Learners.AddRange(Ids(document.RootElement, "learners"));
        }

        return (members, removed, confState);
    }

    private static void WriteIds(Utf8JsonWriter json, string name, IEnumerable<ulong> ids)
    {
        json.WriteStartArray(name);
        foreach (var id in ids)
        {
            json.WriteNumberValue(id);
        }

        json.WriteEndArray();
    }

    private static IEnumerable<ulong> Ids(JsonElement root, string name) =>
        root.TryGetProperty(name, out var array) && array.ValueKind == JsonValueKind.Array ? [.. array.EnumerateArray().Select(e => e.GetUInt64())] : [];
}
