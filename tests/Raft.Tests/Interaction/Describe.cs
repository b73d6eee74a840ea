using System.Text;
using MiniKube.Raft.Pb;

namespace MiniKube.Raft.Tests.Interaction;

/// <summary>The transcript text of messages, entries and Readies (close to etcd raft's).</summary>
internal static class Describe
{
    public static string Entry(Entry e)
    {
        var data = e.Type switch
        {
            EntryType.EntryConfChange => ConfChange(Pb.ConfChange.Parser.ParseFrom(e.Data)),
            _ => e.Data.IsEmpty ? "" : e.Data.ToStringUtf8(),
        };
        return $"{e.Term}/{e.Index} {e.Type} {data}".TrimEnd();
    }

    public static string ConfChange(ConfChange cc) => cc.Type switch
    {
        ConfChangeType.ConfChangeAddNode => $"v{cc.NodeId}",
        ConfChangeType.ConfChangeAddLearnerNode => $"l{cc.NodeId}",
        ConfChangeType.ConfChangeRemoveNode => $"r{cc.NodeId}",
        _ => $"u{cc.NodeId}",
    };

    public static string ConfState(ConfState cs)
    {
        var s = $"Voters:[{string.Join(" ", cs.Voters)}]";
        return cs.Learners.Count > 0 ? s + $" Learners:[{string.Join(" ", cs.Learners)}]" : s;
    }

    public static string Message(Message m)
    {
        var sb = new StringBuilder();
        sb.Append($"{m.From}->{m.To} {m.Type} Term:{m.Term} Log:{m.LogTerm}/{m.Index}");
        if (m.Reject)
        {
            sb.Append($" Rejected (Hint: {m.RejectHint})");
        }
        if (m.Commit != 0)
        {
            sb.Append($" Commit:{m.Commit}");
        }
        if (m.Entries.Count > 0)
        {
            sb.Append(" Entries:[").AppendJoin(", ", m.Entries.Select(Entry)).Append(']');
        }
        if (m.Snapshot?.Metadata is { Index: > 0 } meta)
        {
            sb.Append($" Snapshot: Index:{meta.Index} Term:{meta.Term} {ConfState(meta.ConfState)}");
        }
        if (!m.Context.IsEmpty)
        {
            sb.Append($" Context:{m.Context.ToStringUtf8()}");
        }
        return sb.ToString();
    }

    public static string Role(RaftRole role) => "State" + role;

    public static void Ready(StringBuilder sb, Ready rd)
    {
        sb.Append("Ready MustSync=").Append(rd.MustSync ? "true" : "false").Append(":\n");
        if (rd.SoftState is { } ss)
        {
            sb.Append($"Lead:{ss.Lead} State:{Role(ss.Role)}\n");
        }
        if (rd.HardState is { } hs)
        {
            sb.Append($"HardState Term:{hs.Term} Vote:{hs.Vote} Commit:{hs.Commit}\n");
        }
        if (rd.Entries.Count > 0)
        {
            sb.Append("Entries:\n");
            foreach (var e in rd.Entries)
            {
                sb.Append(Entry(e)).Append('\n');
            }
        }
        if (rd.Snapshot?.Metadata is { Index: > 0 } meta)
        {
            sb.Append($"Snapshot Index:{meta.Index} Term:{meta.Term} {ConfState(meta.ConfState)}\n");
        }
        if (rd.CommittedEntries.Count > 0)
        {
            sb.Append("CommittedEntries:\n");
            foreach (var e in rd.CommittedEntries)
            {
                sb.Append(Entry(e)).Append('\n');
            }
        }
        if (rd.Messages.Count > 0)
        {
            sb.Append("Messages:\n");
            foreach (var m in rd.Messages)
            {
                sb.Append(Message(m)).Append('\n');
            }
        }
        foreach (var rs in rd.ReadStates)
        {
            sb.Append($"ReadState Index:{rs.Index} Context:{rs.RequestContext.ToStringUtf8()}\n");
        }
    }
}
