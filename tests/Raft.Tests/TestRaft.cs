using MiniKube.Raft.Pb;

namespace MiniKube.Raft.Tests;

/// <summary>Builders of raft state machines and storages for the unit tests.</summary>
internal static class TestRaft
{
    /// <summary>An empty storage whose configuration has the given voters (and learners).</summary>
    public static MemoryRaftStorage Storage(ulong[] voters, ulong[]? learners = null)
    {
        var cs = new ConfState();
        cs.Voters.AddRange(voters);
        cs.Learners.AddRange(learners ?? []);
        return MemoryRaftStorage.WithConfState(cs);
    }

    public static Raft New(ulong id, MemoryRaftStorage storage, int election = 10, int heartbeat = 1,
        bool preVote = false, bool checkQuorum = false, ulong maxSizePerMsg = RaftLog.NoLimit, int maxInflight = 256) =>
        new(new RaftConfig
        {
            Id = id,
            Storage = storage,
            ElectionTick = election,
            HeartbeatTick = heartbeat,
            PreVote = preVote,
            CheckQuorum = checkQuorum,
            MaxSizePerMsg = maxSizePerMsg,
            MaxInflightMsgs = maxInflight,
            RandomSeed = (int)id,
        });

    public static Raft New(ulong id, ulong[] voters, int election = 10, int heartbeat = 1,
        bool preVote = false, bool checkQuorum = false) =>
        New(id, Storage(voters), election, heartbeat, preVote, checkQuorum);

    public static Entry Entry(ulong index, ulong term, string? data = null) =>
        new() { Index = index, Term = term, Data = data is null ? Google.Protobuf.ByteString.Empty : Google.Protobuf.ByteString.CopyFromUtf8(data) };

    /// <summary>Persists the unstable entries and marks everything committed as applied.</summary>
    public static IReadOnlyList<Entry> PersistAndApply(Raft r, MemoryRaftStorage storage)
    {
        var unstable = r.Log.UnstableEntries();
        storage.Append(unstable);
        if (unstable.Count > 0)
        {
            r.Log.StableTo(unstable[^1].Index, unstable[^1].Term);
        }
        var committed = r.Log.NextEntries();
        if (committed.Count > 0)
        {
            r.Log.AppliedTo(committed[^1].Index);
        }
        return committed;
    }

    public static Message Msg(MessageType type, ulong from, ulong to, ulong term = 0, ulong index = 0, ulong logTerm = 0, ulong commit = 0) =>
        new() { Type = type, From = from, To = to, Term = term, Index = index, LogTerm = logTerm, Commit = commit };

    /// <summary>(index, term) of every entry, for comparing logs.</summary>
    public static string Describe(RaftLog log) =>
        $"committed={log.Committed} " + string.Join(" ", log.AllEntries().Select(e => $"{e.Index}/{e.Term}"));
}
