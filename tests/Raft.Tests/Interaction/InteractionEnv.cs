using System.Globalization;
using System.Text;
using Google.Protobuf;
using MiniKube.Raft.Pb;

namespace MiniKube.Raft.Tests.Interaction;

/// <summary>
/// Runs transcript commands against a set of <see cref="RawNode"/>s, each with the host duties
/// (persist, apply, queue messages) done by <c>process-ready</c> and delivery done by
/// <c>deliver-msgs</c>, as in etcd raft's <c>rafttest</c> package. One handler per command.
/// </summary>
internal sealed class InteractionEnv
{
    private sealed class Node(ulong id, MemoryRaftStorage storage, RaftConfig config)
    {
        public ulong Id { get; } = id;

        public MemoryRaftStorage Storage { get; } = storage;

        public RaftConfig Config { get; } = config;

        public RawNode? Raw { get; set; }

        public ConfState ConfState { get; set; } = new();

        public RawNode R => Raw ?? throw new InvalidOperationException($"node {Id} is down");
    }

    private readonly SortedDictionary<ulong, Node> _nodes = [];
    private readonly List<Message> _messages = [];
    private readonly HashSet<ulong> _isolated = [];
    private readonly StringBuilder _out = new();

    public string Handle(string commandLine)
    {
        _out.Clear();
        var parts = commandLine.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var args = parts.Skip(1).ToList();
        switch (parts[0])
        {
            case "add-nodes": AddNodes(args); break;
            case "campaign": Each(args, n => n.R.Campaign()); break;
            case "tick-heartbeat": Each(args, n => Tick(n, n.Config.HeartbeatTick)); break;
            case "tick-election": Each(args, TickElection); break;
            case "propose": Propose(args); break;
            case "propose-conf-change": ProposeConfChange(args); break;
            case "read-index": ReadIndex(args); break;
            case "transfer-leadership": TransferLeadership(args); break;
            case "process-ready": Each(args, ProcessReady); break;
            case "deliver-msgs": Each(args, n => DeliverMessages(n.Id)); break;
            case "stabilize": Stabilize(args); break;
            case "status": Each(args, Status); break;
            case "raft-state": RaftState(); break;
            case "raft-log": Each(args, PrintLog); break;
            case "isolate": Each(args, n => _isolated.Add(n.Id)); break;
            case "recover": _isolated.Clear(); break;
            case "compact": Compact(args); break;
            case "crash": Each(args, Crash); break;
            case "restart": Each(args, Restart); break;
            default: throw new InvalidOperationException($"unknown command {parts[0]}");
        }
        var text = _out.ToString().TrimEnd('\n');
        return text.Length == 0 ? "ok" : text;
    }

    private void Each(List<string> args, Action<Node> action)
    {
        var ids = args.Where(a => !a.Contains('=', StringComparison.Ordinal)).Select(ulong.Parse).ToList();
        if (ids.Count == 0)
        {
            ids = _nodes.Keys.ToList();
        }
        foreach (var id in ids)
        {
            action(_nodes[id]);
        }
    }

    private static string? Option(List<string> args, string key) =>
        args.FirstOrDefault(a => a.StartsWith(key + "=", StringComparison.Ordinal))?[(key.Length + 1)..];

    private static ulong[] IdList(string? value) =>
        value is null ? [] : value.Trim('(', ')').Split(',', StringSplitOptions.RemoveEmptyEntries).Select(ulong.Parse).ToArray();

    // add-nodes <count> voters=(1,2,3) [learners=(4)] [prevote=true] [checkquorum=true]:
    // founding members bootstrapped with that configuration. Without voters= the nodes start
    // empty and wait to be added.
    private void AddNodes(List<string> args)
    {
        var count = int.Parse(args[0], CultureInfo.InvariantCulture);
        var voters = IdList(Option(args, "voters"));
        var learners = IdList(Option(args, "learners"));
        for (var i = 0; i < count; i++)
        {
            var id = (ulong)_nodes.Count + 1;
            MemoryRaftStorage storage;
            if (voters.Length > 0)
            {
                var cs = new ConfState();
                cs.Voters.AddRange(voters);
                cs.Learners.AddRange(learners);
                storage = new MemoryRaftStorage(cs);
            }
            else
            {
                storage = new MemoryRaftStorage();
            }
            var config = new RaftConfig
            {
                Id = id,
                Storage = storage,
                ElectionTick = 3,
                HeartbeatTick = 1,
                PreVote = Option(args, "prevote") == "true",
                CheckQuorum = Option(args, "checkquorum") == "true",
                MaxSizePerMsg = RaftLog.NoLimit,
                MaxInflightMsgs = 256,
                RandomSeed = (int)id,
                Logger = new CaptureLogger(_out),
            };
            var node = new Node(id, storage, config) { ConfState = storage.Snapshot().Metadata.ConfState.Clone() };
            _nodes[id] = node;
            node.Raw = new RawNode(config);
        }
    }

    private static void Tick(Node n, int ticks)
    {
        for (var i = 0; i < ticks; i++)
        {
            n.R.Tick();
        }
    }

    // Exactly as many ticks as it takes for the election timer to fire (leaders: one check-quorum
    // interval).
    private static void TickElection(Node n)
    {
        var r = n.R.Raft;
        var ticks = r.State == RaftRole.Leader
            ? n.Config.ElectionTick - r.ElectionElapsed
            : r.RandomizedElectionTimeout - r.ElectionElapsed;
        Tick(n, Math.Max(ticks, 1));
    }

    private void Propose(List<string> args)
    {
        var n = _nodes[ulong.Parse(args[0], CultureInfo.InvariantCulture)];
        Dropping(() => n.R.Propose(ByteString.CopyFromUtf8(args[1])));
    }

    // propose-conf-change <id> v4 | l4 | r4
    private void ProposeConfChange(List<string> args)
    {
        var n = _nodes[ulong.Parse(args[0], CultureInfo.InvariantCulture)];
        var spec = args[1];
        var cc = new ConfChange
        {
            NodeId = ulong.Parse(spec[1..], CultureInfo.InvariantCulture),
            Type = spec[0] switch
            {
                'v' => ConfChangeType.ConfChangeAddNode,
                'l' => ConfChangeType.ConfChangeAddLearnerNode,
                'r' => ConfChangeType.ConfChangeRemoveNode,
                'u' => ConfChangeType.ConfChangeUpdateNode,
                _ => throw new FormatException($"unknown conf change {spec}"),
            },
        };
        Dropping(() => n.R.ProposeConfChange(cc));
    }

    private void ReadIndex(List<string> args)
    {
        var n = _nodes[ulong.Parse(args[0], CultureInfo.InvariantCulture)];
        Dropping(() => n.R.ReadIndex(ByteString.CopyFromUtf8(args[1])));
    }

    private void TransferLeadership(List<string> args)
    {
        var from = _nodes[ulong.Parse(Option(args, "from")!, CultureInfo.InvariantCulture)];
        from.R.TransferLeader(ulong.Parse(Option(args, "to")!, CultureInfo.InvariantCulture));
    }

    private void Dropping(Action action)
    {
        try
        {
            action();
        }
        catch (ProposalDroppedException e)
        {
            _out.Append("error: ").Append(e.Message).Append('\n');
        }
    }

    /// <summary>The host loop's one pass: persist, queue the messages, apply, advance.</summary>
    private void ProcessReady(Node n)
    {
        if (n.Raw is null || !n.Raw.HasReady())
        {
            return;
        }
        if (_nodes.Count > 1)
        {
            _out.Append($"> {n.Id} handling Ready\n");
        }
        var rd = n.Raw.Ready();
        Describe.Ready(_out, rd);
        if (rd.Snapshot is { Metadata.Index: > 0 } snap)
        {
            n.Storage.ApplySnapshot(snap);
            n.ConfState = snap.Metadata.ConfState.Clone();
        }
        n.Storage.Append(rd.Entries);
        if (rd.HardState is { } hs)
        {
            n.Storage.SetHardState(hs);
        }
        _messages.AddRange(rd.Messages);
        foreach (var e in rd.CommittedEntries)
        {
            if (e.Type == EntryType.EntryConfChange)
            {
                n.ConfState = n.Raw.ApplyConfChange(ConfChange.Parser.ParseFrom(e.Data));
                _out.Append($"INFO {n.Id} switched to configuration {Describe.ConfState(n.ConfState)}\n");
            }
        }
        n.Raw.Advance(rd);
    }

    private bool DeliverMessages(ulong to)
    {
        var mine = _messages.Where(m => m.To == to).ToList();
        if (mine.Count == 0)
        {
            return false;
        }
        _messages.RemoveAll(m => m.To == to);
        foreach (var m in mine)
        {
            if (_isolated.Contains(m.From) || _isolated.Contains(m.To) || _nodes[to].Raw is null)
            {
                _out.Append("dropped: ").Append(Describe.Message(m)).Append('\n');
                continue;
            }
            _out.Append(Describe.Message(m)).Append('\n');
            Dropping(() => _nodes[to].R.Step(m.Clone()));
        }
        return true;
    }

    private void Stabilize(List<string> args)
    {
        var ids = args.Count > 0 ? args.Select(ulong.Parse).ToList() : _nodes.Keys.ToList();
        while (true)
        {
            var any = false;
            foreach (var id in ids)
            {
                if (_nodes[id].Raw is { } r && r.HasReady())
                {
                    any = true;
                    ProcessReady(_nodes[id]);
                }
            }
            foreach (var id in ids)
            {
                if (_messages.Any(m => m.To == id))
                {
                    any = true;
                    _out.Append($"> {id} receiving messages\n");
                    DeliverMessages(id);
                }
            }
            if (!any)
            {
                return;
            }
        }
    }

    private void Status(Node n)
    {
        var s = n.R.Status();
        if (s.Role != RaftRole.Leader)
        {
            _out.Append($"{n.Id}: {Describe.Role(s.Role)} Term:{s.Term} Lead:{s.Lead} Commit:{s.Commit} Applied:{s.Applied}\n");
            return;
        }
        foreach (var (id, pr) in s.Progress)
        {
            _out.Append($"{id}: {pr}\n");
        }
    }

    private void RaftState()
    {
        foreach (var n in _nodes.Values)
        {
            if (n.Raw is null)
            {
                _out.Append($"{n.Id}: down\n");
                continue;
            }
            var r = n.R.Raft;
            var kind = r.IsLearner ? "Learner" : r.Tracker.Voters.Contains(n.Id) ? "Voter" : "Non-Voter";
            _out.Append($"{n.Id}: {Describe.Role(r.State)} ({kind}) Term:{r.Term} Lead:{r.Lead}\n");
        }
    }

    private void PrintLog(Node n)
    {
        var s = n.Storage;
        if (s.FirstIndex() > s.LastIndex())
        {
            _out.Append($"log is empty: first index={s.FirstIndex()}, last index={s.LastIndex()}\n");
            return;
        }
        foreach (var e in s.Entries(s.FirstIndex(), s.LastIndex() + 1, RaftLog.NoLimit))
        {
            _out.Append(Describe.Entry(e)).Append('\n');
        }
    }

    // compact <id> <index>: snapshot the applied state at index and drop the entries before it.
    private void Compact(List<string> args)
    {
        var n = _nodes[ulong.Parse(args[0], CultureInfo.InvariantCulture)];
        var index = ulong.Parse(args[1], CultureInfo.InvariantCulture);
        n.Storage.CreateSnapshot(index, n.ConfState, ByteString.CopyFromUtf8($"snap@{index}"));
        n.Storage.Compact(index);
        PrintLog(n);
    }

    private void Crash(Node n)
    {
        n.Raw = null;
        _messages.RemoveAll(m => m.From == n.Id);
    }

    private static void Restart(Node n)
    {
        var applied = n.Storage.Snapshot().Metadata.Index;
        n.ConfState = n.Storage.Snapshot().Metadata.ConfState.Clone();
        n.Raw = new RawNode(new RaftConfig
        {
            Id = n.Config.Id,
            Storage = n.Storage,
            Applied = applied,
            ElectionTick = n.Config.ElectionTick,
            HeartbeatTick = n.Config.HeartbeatTick,
            PreVote = n.Config.PreVote,
            CheckQuorum = n.Config.CheckQuorum,
            MaxSizePerMsg = n.Config.MaxSizePerMsg,
            RandomSeed = n.Config.RandomSeed,
            Logger = n.Config.Logger,
        });
    }
}
