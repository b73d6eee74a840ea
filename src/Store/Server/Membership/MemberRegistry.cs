using System.Globalization;
using System.Text;
using MiniKube.Grpc;
using MiniKube.Raft.Pb;
using MiniKube.Store.Backend;

namespace MiniKube.Store.Server.Membership;

/// <summary>
/// The cluster's members and removed member IDs (etcd's membership.RaftCluster): part of the
/// replicated state, changed only by applied entries (conf changes, publishes), kept in the meta
/// table in the same batch as the applied index, and carried in snapshots as etcd's "members" and
/// "members_removed" buckets.
/// </summary>
/// <remarks>
/// Layout in <see cref="BackendTable.Meta"/>: <c>"members/" + hex ID</c> → the member's JSON (as
/// etcd's bucket holds it), <c>"members_removed/" + hex ID</c> → "removed". Written only on the Raft
/// loop thread; read from any thread (a copy is swapped in whole on each change).
/// </remarks>
public sealed class MemberRegistry
{
    public static readonly byte[] MemberPrefix = "members/"u8.ToArray();
    public static readonly byte[] RemovedPrefix = "members_removed/"u8.ToArray();

    private static readonly byte[] RemovedValue = "removed"u8.ToArray();

    private volatile State _state;

    private MemberRegistry(State state) => _state = state;

    /// <summary>Raised on the Raft loop thread after a change is written; handlers must be quick.</summary>
    public event Action? Changed;

    public bool IsEmpty => _state.Members.Count == 0;

    /// <summary>The members, ordered by ID as etcd lists them.</summary>
    public IReadOnlyList<ClusterMember> Members => _state.Members.Values.ToList();

    public IReadOnlyCollection<ulong> RemovedIds => _state.Removed;

    public IEnumerable<ClusterMember> VotingMembers => _state.Members.Values.Where(m => !m.IsLearner);

    public ClusterMember? Find(ulong id) => _state.Members.GetValueOrDefault(id);

    public bool IsRemoved(ulong id) => _state.Removed.Contains(id);

    public static MemberRegistry Load(IBackendReader reader)
    {
        var members = new SortedDictionary<ulong, ClusterMember>();
        using (var it = reader.Iterate(BackendTable.Meta, MemberPrefix, PrefixEnd(MemberPrefix)))
        {
            for (it.SeekToFirst(); it.Valid; it.Next())
            {
                var member = ClusterMember.FromJson(it.Value);
                members[member.Id] = member;
            }
        }

        var removed = new HashSet<ulong>();
        using (var it = reader.Iterate(BackendTable.Meta, RemovedPrefix, PrefixEnd(RemovedPrefix)))
        {
            for (it.SeekToFirst(); it.Valid; it.Next())
            {
                removed.Add(ParseHexId(it.Key[RemovedPrefix.Length..]));
            }
        }

        return new MemberRegistry(new State(members, removed));
    }

    /// <summary>Writes <paramref name="members"/> as the registry (a new cluster's founders, or the members a joining member was told of).</summary>
    public void Seed(IBackend backend, IEnumerable<ClusterMember> members)
    {
        using var batch = backend.CreateBatch();
        Replace(batch, members, []);
        backend.Write(batch);
        backend.Sync();
    }

    /// <summary>Replaces the whole registry (a leader's snapshot restored) in <paramref name="batch"/> and memory.</summary>
    public void Replace(IBackendBatch batch, IEnumerable<ClusterMember> members, IEnumerable<ulong> removed)
    {
        batch.DeleteRange(BackendTable.Meta, MemberPrefix, PrefixEnd(MemberPrefix));
        batch.DeleteRange(BackendTable.Meta, RemovedPrefix, PrefixEnd(RemovedPrefix));
        var next = new State(new SortedDictionary<ulong, ClusterMember>(), [.. removed]);
        foreach (var member in members)
        {
            next.Members[member.Id] = member;
            batch.Put(BackendTable.Meta, MemberKey(member.Id), member.ToJson());
        }

        foreach (var id in next.Removed)
        {
            batch.Put(BackendTable.Meta, RemovedKey(id), RemovedValue);
        }

        _state = next;
    }

    /// <summary>
    /// etcd's ValidateConfigurationChange: whether <paramref name="change"/> (with the member in its
    /// context) can apply to the registry as it is now. Deterministic, so every member decides alike.
    /// </summary>
    public RpcException? Validate(ConfChange change)
    {
        var state = _state;
        var id = change.NodeId;
        if (state.Removed.Contains(id))
        {
            return MembershipErrors.IdRemoved;
        }

        switch (change.Type)
        {
            case ConfChangeType.ConfChangeAddNode when ClusterMember.IsPromoteContext(change.Context.Span):
                return !state.Members.TryGetValue(id, out var promoted) ? MembershipErrors.MemberNotFound
                    : promoted.IsLearner ? null : MembershipErrors.MemberNotLearner;
            case ConfChangeType.ConfChangeAddNode or ConfChangeType.ConfChangeAddLearnerNode:
                var member = ContextMember(change);
                if (state.Members.ContainsKey(id))
                {
                    return MembershipErrors.MemberExists;
                }

                if (state.Members.Values.SelectMany(m => m.PeerUrls).Intersect(member.PeerUrls).Any())
                {
                    return MembershipErrors.PeerUrlExists;
                }

                // etcd 3.4 allows one learner at a time (maxLearners).
                return change.Type == ConfChangeType.ConfChangeAddLearnerNode && state.Members.Values.Any(m => m.IsLearner) ? MembershipErrors.TooManyLearners : null;
            case ConfChangeType.ConfChangeRemoveNode:
                return state.Members.ContainsKey(id) ? null : MembershipErrors.MemberNotFound;
            case ConfChangeType.ConfChangeUpdateNode:
                if (!state.Members.ContainsKey(id))
                {
                    return MembershipErrors.MemberNotFound;
                }

                var updated = ContextMember(change);
                return state.Members.Values.Where(m => m.Id != id).SelectMany(m => m.PeerUrls).Intersect(updated.PeerUrls).Any() ? MembershipErrors.PeerUrlExists : null;
            default:
                return new RpcException(StatusCode.InvalidArgument, $"etcdserver: unknown conf change type {change.Type}");
        }
    }

    /// <summary>Applies a validated <paramref name="change"/>: written to <paramref name="batch"/>, visible in memory at once.</summary>
    public void Apply(ConfChange change, IBackendBatch batch)
    {
        var state = _state.Copy();
        var id = change.NodeId;
        switch (change.Type)
        {
            case ConfChangeType.ConfChangeAddNode when state.Members.TryGetValue(id, out var learner):
                state.Members[id] = learner with { IsLearner = false };
                break;
            case ConfChangeType.ConfChangeAddNode or ConfChangeType.ConfChangeAddLearnerNode:
                var added = ContextMember(change);
                state.Members[id] = added with { Id = id, IsLearner = change.Type == ConfChangeType.ConfChangeAddLearnerNode };
                break;
            case ConfChangeType.ConfChangeRemoveNode:
                state.Members.Remove(id);
                state.Removed.Add(id);
                batch.Delete(BackendTable.Meta, MemberKey(id));
                batch.Put(BackendTable.Meta, RemovedKey(id), RemovedValue);
                _state = state;
                return;
            case ConfChangeType.ConfChangeUpdateNode:
                state.Members[id] = state.Members[id] with { PeerUrls = ContextMember(change).PeerUrls };
                break;
        }

        batch.Put(BackendTable.Meta, MemberKey(id), state.Members[id].ToJson());
        _state = state;
    }

    /// <summary>etcd's publish applied: the member's name and client URLs. A member unknown or removed by now is ignored, as etcd does.</summary>
    public bool SetAttributes(ulong id, string name, IReadOnlyList<string> clientUrls, IBackendBatch batch)
    {
        var state = _state.Copy();
        if (!state.Members.TryGetValue(id, out var member))
        {
            return false;
        }

        state.Members[id] = member with { Name = name, ClientUrls = clientUrls };
        batch.Put(BackendTable.Meta, MemberKey(id), state.Members[id].ToJson());
        _state = state;
        return true;
    }

    public void RaiseChanged() => Changed?.Invoke();

    /// <summary>etcd's IsReadyToAddVotingMember: a quorum of the voters after the change has started.</summary>
    public bool IsReadyToAddVotingMember()
    {
        int members = 1, started = 0;
        foreach (var member in VotingMembers)
        {
            members++;
            started += member.IsStarted ? 1 : 0;
        }

        // A cluster of one may grow to two before the new member starts.
        return (started == 1 && members == 2) || started >= (members / 2) + 1;
    }

    /// <summary>etcd's IsReadyToRemoveVotingMember: a quorum of the voters left has started.</summary>
    public bool IsReadyToRemoveVotingMember(ulong id)
    {
        int members = 0, started = 0;
        foreach (var member in VotingMembers.Where(m => m.Id != id))
        {
            members++;
            started += member.IsStarted ? 1 : 0;
        }

        return started >= (members / 2) + 1;
    }

    /// <summary>etcd's IsReadyToPromoteMember: the learner counted as a started voter, a quorum has started.</summary>
    public bool IsReadyToPromoteMember()
    {
        int members = 1, started = 1;
        foreach (var member in VotingMembers)
        {
            members++;
            started += member.IsStarted ? 1 : 0;
        }

        return started >= (members / 2) + 1;
    }

    /// <summary>The member a conf change carries in its context (etcd puts the JSON member there).</summary>
    public static ClusterMember ContextMember(ConfChange change) =>
        change.Context.IsEmpty
            ? new ClusterMember(change.NodeId, "", [], [], change.Type == ConfChangeType.ConfChangeAddLearnerNode)
            : ClusterMember.FromJson(change.Context.Span);

    public static byte[] MemberKey(ulong id) => [.. MemberPrefix, .. HexId(id)];

    private static byte[] RemovedKey(ulong id) => [.. RemovedPrefix, .. HexId(id)];

    /// <summary>A member ID as etcd's buckets key it: lower-case hex, no padding.</summary>
    public static byte[] HexId(ulong id) => Encoding.ASCII.GetBytes(id.ToString("x", CultureInfo.InvariantCulture));

    public static ulong ParseHexId(ReadOnlySpan<byte> hex) => ulong.Parse(Encoding.ASCII.GetString(hex), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);

    /// <summary>The end of the range of keys under <paramref name="prefix"/> (its last byte is never 0xff here).</summary>
    public static byte[] PrefixEnd(byte[] prefix)
    {
        var end = prefix.ToArray();
        end[^1]++;
        return end;
    }

    private sealed record State(SortedDictionary<ulong, ClusterMember> Members, HashSet<ulong> Removed)
    {
        public State Copy() => new(new SortedDictionary<ulong, ClusterMember>(Members), [.. Removed]);
    }
}
