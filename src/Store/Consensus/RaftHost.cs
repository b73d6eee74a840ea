using System.Buffers.Binary;
using System.Diagnostics;
using Google.Protobuf;
using MiniKube.Raft;
using MiniKube.Raft.Pb;
using MiniKube.Store.Server;

namespace MiniKube.Store.Consensus;

/// <summary>
/// The host loop around a <see cref="RawNode"/> (etcd's <c>raftNode</c>): one thread at a time
/// owns the node, and everything else (ticks, peer messages, proposals, reads) reaches it as a
/// command on its queue. The owner is the loop thread, or a peer message's or proposal's caller
/// that found the node free and runs one round itself (see <see cref="PostAndRun"/>). Each Ready
/// is handled as src/Raft/README.md says: persist (one batch, synced when required), send, apply,
/// advance; except that a leader sends first (see <see cref="HandleReady"/>).
/// </summary>
/// <remarks>
/// A proposal is framed as BE64(member ID) BE64(sequence) payload, so the member that proposed it
/// (and only that one) finds its waiting client when the entry applies, wherever the leader is: a
/// follower's proposal travels to the leader as MsgProp. Sequences start from the clock, as etcd's
/// request IDs do, so a restarted member never mistakes an entry from its previous life for a new one.
/// A member that fell behind the leader's compacted log receives a snapshot (MsgSnap, with the
/// leader's database beside it, see Transport/PeerTransport): the Ready carrying it is persisted,
/// then the state machine restores from the database.
/// </remarks>
public sealed class RaftHost : IDisposable
{
    private const int HeaderSize = 16;

    /// <summary>Ticks (heartbeat intervals) before an unanswered ReadIndex request is sent again: etcd's 500 ms at its default 100 ms heartbeat.</summary>
    private const int ReadRetryTicks = 5;

    private readonly ulong _id;
    private readonly RaftLogStorage _storage;
    private readonly IRaftStateMachine _stateMachine;
    private readonly IRaftTransport _transport;
    private readonly RaftHostOptions _options;
    private readonly RawNode _node;

    // The loop's command queue: a list swapped whole under a monitor rather than a
    // BlockingCollection, whose wait spins (sched_yield) before it sleeps: at one client the loop
    // is idle between commands most of the time, and that spinning cost more CPU than the writes.
    // One lock and, only when the loop sleeps, one Pulse per command; the loop takes all that
    // arrived in one swap.
    private readonly object _commandsGate = new();
    private List<Action> _commands = [];
    private bool _commandsClosed;
    private bool _loopSleeping;
    private long _firstQueuedWhileSleeping;
    // The thread running commands now (the loop thread, or a caller of PostAndRun), null for none;
    // only it touches the node and the fields the loop owns. _batch is its swap list.
    private Thread? _owner;
    private List<Action> _batch = [];
    private readonly Thread _thread;
    private readonly ITimer _ticker;

    // Owned by the thread that owns the node (see _owner).
    private readonly Dictionary<ulong, TaskCompletionSource<object?>> _proposals = [];
    // Linearizable reads share ReadIndex requests (etcd's linearizableReadLoop): a read joins
    // _nextReads, which go out together as one request when none is in flight, or as soon as the
    // one in flight is answered. Never the one in flight: it may have been answered with a commit
    // index from before the read arrived.
    private List<TaskCompletionSource<ulong>> _nextReads = [];
    private ReadBatch? _readInFlight;
    private long _ticks;
    private readonly List<(ulong Index, TaskCompletionSource<ulong> Waiter)> _applyWaiters = [];
    private readonly List<TaskCompletionSource<ulong>> _leaderWaiters = [];
    private readonly Dictionary<ulong, TaskCompletionSource<object?>> _confChanges = [];
    // Results of the entries being applied, handed out once the state machine has flushed them.
    private readonly List<(TaskCompletionSource<object?> Waiter, object? Result)> _appliedResults = [];
    // Proposals' and reads' waiters completed in this round, run once the round is over; see Release.
    private List<Action> _released = [];
    private ConfState _confState;
    private long _sequence;

    private ulong _leader;
    private ulong _term;
    private ulong _commitIndex;
    private ulong _appliedIndex;
    private Exception? _fault;

    public RaftHost(ulong id, RaftLogStorage storage, IRaftStateMachine stateMachine, IRaftTransport transport, RaftHostOptions options)
    {
        _id = id;
        _storage = storage;
        _stateMachine = stateMachine;
        _transport = transport;
        _options = options;
        var (hardState, confState) = storage.InitialState();
        _confState = confState;
        _term = hardState.Term;
        _commitIndex = hardState.Commit;
        RecoverSnapshot(storage, stateMachine);
        if (stateMachine.ConfState is { } applied && stateMachine.AppliedIndex > storage.Snapshot().Metadata.Index)
        {
            // Conf changes applied since the log's snapshot are not replayed (Raft is told they
            // are applied): start from the configuration the state machine saved with them.
            storage.UseConfState(applied);
            _confState = applied.Clone();
        }

        _appliedIndex = stateMachine.AppliedIndex;
        _sequence = options.TimeProvider.GetUtcNow().ToUnixTimeMilliseconds() << 16;
        _node = new RawNode(new RaftConfig
        {
            Id = id,
            Storage = storage,
            // A database restored from a leader's snapshot may be ahead of what this log knows
            // committed; Raft is told only what it can check, and the entries up to the state
            // machine's index are skipped as they commit (etcd's consistent index).
            Applied = Math.Min(stateMachine.AppliedIndex, hardState.Commit),
            ElectionTick = options.ElectionTick,
            HeartbeatTick = 1,
            PreVote = true,
            CheckQuorum = true,
            RandomSeed = options.RandomSeed != 0 ? options.RandomSeed : (int)(id ^ (id >> 32)),
        });
        _thread = new Thread(Loop) { IsBackground = true, Name = $"raft-{id:x}" };
        _thread.Start();
        _ticker = options.TimeProvider.CreateTimer(_ => Post(Tick), null, options.TickInterval, options.TickInterval);
    }

    public ulong Id => _id;

    /// <summary>The leader this member knows of, 0 for none.</summary>
    public ulong Leader => Volatile.Read(ref _leader);

    public ulong Term => Volatile.Read(ref _term);

    /// <summary>The highest index known committed (etcd's raft index in endpoint status).</summary>
    public ulong CommitIndex => Volatile.Read(ref _commitIndex);

    public ulong AppliedIndex => Volatile.Read(ref _appliedIndex);

    /// <summary>Whether this member is the leader it knows of.</summary>
    public bool IsLeader => Leader == _id;

    /// <summary>
    /// Raised on the thread owning the node when the known leader changes (0: none), with the term, before
    /// anything of the Ready that told of it is applied; handlers must be quick and must not
    /// wait for the host.
    /// </summary>
    public event Action<ulong, ulong>? LeaderChanged;

    /// <summary>
    /// Messages from peers, in order (those that arrived together); those from unknown members are
    /// ignored. Run on the caller's thread when the node is free, except a snapshot, whose restore
    /// can take seconds that its sender's request should not wait for.
    /// </summary>
    public void Step(Message message) => Step([message]);

    /// <inheritdoc cref="Step(Message)"/>
    public void Step(IReadOnlyList<Message> messages)
    {
        if (messages.Any(m => m.Type == MessageType.MsgSnap))
        {
            Post(() => StepNodes(messages));
        }
        else
        {
            PostAndRun(() => StepNodes(messages));
        }
    }

    private void StepNodes(IReadOnlyList<Message> messages)
    {
        foreach (var message in messages)
        {
            try
            {
                _node.Step(message);
            }
            catch (ProposalDroppedException)
            {
                // A peer forwarded a proposal or a read (MsgProp, MsgReadIndex) to the leader it knew,
                // and this member cannot take it: it no longer knows a leader, or is handing
                // leadership on. That is the peer's client's loss (its request times out), not a
                // fault of this member, whose loop must go on; etcd's node ignores these errors too.
            }
        }
    }

    public void ReportUnreachable(ulong peer) => Post(() => _node.ReportUnreachable(peer));

    public void ReportSnapshot(ulong peer, SnapshotStatus status) => Post(() => _node.ReportSnapshot(peer, status));

    /// <summary>
    /// Asks the leader to hand leadership to <paramref name="transferee"/> once it has caught up
    /// (etcd's MoveLeader); a follower passes the request on to the leader it knows.
    /// </summary>
    public void TransferLeader(ulong transferee) => Post(() => _node.TransferLeader(transferee));

    /// <summary>Starts an election now rather than after the election timeout (tests, leader transfer).</summary>
    public void Campaign() => Post(_node.Campaign);

    /// <summary>
    /// Proposes <paramref name="payload"/> and completes with the state machine's result once the
    /// entry is applied on this member. Fails with etcd's "no leader" when there is none to forward
    /// to, and "request timed out" when the entry does not apply in time (it may still apply later).
    /// </summary>
    public async Task<object?> ProposeAsync(ReadOnlyMemory<byte> payload, CancellationToken cancellationToken = default)
    {
        var sequence = (ulong)Interlocked.Increment(ref _sequence);
        var data = new byte[HeaderSize + payload.Length];
        BinaryPrimitives.WriteUInt64BigEndian(data, _id);
        BinaryPrimitives.WriteUInt64BigEndian(data.AsSpan(8), sequence);
        payload.Span.CopyTo(data.AsSpan(HeaderSize));
        // Completed only through Release, after the round that applies the entry (see there).
        var waiter = new TaskCompletionSource<object?>();
        var proposed = Stopwatch.GetTimestamp();
        PostAndRun(() =>
        {
            if (Leader == 0)
            {
                Release(() => waiter.TrySetException(EtcdErrors.NoLeader));
                return;
            }

            _proposals[sequence] = waiter;
            try
            {
                _node.Propose(ByteString.CopyFrom(data));
            }
            catch (ProposalDroppedException)
            {
                _proposals.Remove(sequence);
                Release(() => waiter.TrySetException(EtcdErrors.NoLeader));
            }
        });
        try
        {
            var result = await waiter.Task.WaitAsync(_options.RequestTimeout, _options.TimeProvider, cancellationToken).ConfigureAwait(false);
            _options.Observer?.Proposed(Stopwatch.GetElapsedTime(proposed));
            return result;
        }
        catch (TimeoutException)
        {
            Post(() => _proposals.Remove(sequence));
            throw EtcdErrors.Timeout;
        }
    }

    /// <summary>
    /// Proposes a membership change (etcd's configure) and completes once it is applied on this
    /// member, with null or the refusal the state machine decided on at apply time. Raft takes one
    /// change at a time: a second one proposed while the first is unapplied never takes effect, and
    /// its wait times out ("request timed out").
    /// </summary>
    public async Task<object?> ProposeConfChangeAsync(ConfChange change, CancellationToken cancellationToken = default)
    {
        change = change.Clone();
        change.Id = (ulong)System.Security.Cryptography.RandomNumberGenerator.GetInt32(int.MaxValue) << 32 | (ulong)(uint)Interlocked.Increment(ref _sequence);
        var waiter = new TaskCompletionSource<object?>(TaskCreationOptions.RunContinuationsAsynchronously);
        Post(() =>
        {
            if (Leader == 0)
            {
                waiter.TrySetException(EtcdErrors.NoLeader);
                return;
            }

            _confChanges[change.Id] = waiter;
            try
            {
                _node.ProposeConfChange(change);
            }
            catch (ProposalDroppedException)
            {
                _confChanges.Remove(change.Id);
                waiter.TrySetException(EtcdErrors.NoLeader);
            }
        });
        try
        {
            return await waiter.Task.WaitAsync(_options.RequestTimeout, _options.TimeProvider, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            Post(() => _confChanges.Remove(change.Id));
            throw EtcdErrors.Timeout;
        }
    }

    /// <summary>Raft's view from the node's owner: on the leader, every member's progress (match index).</summary>
    public Task<RaftStatus> StatusAsync(CancellationToken cancellationToken = default)
    {
        var waiter = new TaskCompletionSource<RaftStatus>(TaskCreationOptions.RunContinuationsAsynchronously);
        Post(() => waiter.TrySetResult(_node.Status()));
        return waiter.Task.WaitAsync(_options.RequestTimeout, _options.TimeProvider, cancellationToken);
    }

    /// <summary>
    /// A linearizable read barrier (etcd's ReadIndex): completes with an index once this member has
    /// applied everything committed when the read was issued, confirmed by a quorum of heartbeats.
    /// Reads arriving while a ReadIndex request is in flight share the next one.
    /// </summary>
    public async Task<ulong> ReadIndexAsync(CancellationToken cancellationToken = default)
    {
        // Unlike a proposal's, a read's continuation runs the range, which can take long enough to
        // hold up a peer stream: it goes to the pool.
        var waiter = new TaskCompletionSource<ulong>(TaskCreationOptions.RunContinuationsAsynchronously);
        Post(() =>
        {
            if (Leader == 0)
            {
                Release(() => waiter.TrySetException(EtcdErrors.NoLeader));
                return;
            }

            _nextReads.Add(waiter);
            if (_readInFlight is null)
            {
                SendNextReads();
            }
        });
        try
        {
            return await waiter.Task.WaitAsync(_options.RequestTimeout, _options.TimeProvider, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // Left in its batch: completing it later reaches nobody.
            throw EtcdErrors.Timeout;
        }
    }

    /// <summary>Completes once this member has applied <paramref name="index"/>.</summary>
    public Task<ulong> WaitAppliedAsync(ulong index, CancellationToken cancellationToken = default)
    {
        var waiter = new TaskCompletionSource<ulong>(TaskCreationOptions.RunContinuationsAsynchronously);
        Post(() => WaitApplied(index, waiter));
        return waiter.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Completes with the leader's ID once this member knows of one.</summary>
    public Task<ulong> WaitForLeaderAsync(CancellationToken cancellationToken = default)
    {
        var waiter = new TaskCompletionSource<ulong>(TaskCreationOptions.RunContinuationsAsynchronously);
        Post(() =>
        {
            if (Leader != 0)
            {
                waiter.TrySetResult(Leader);
            }
            else
            {
                _leaderWaiters.Add(waiter);
            }
        });
        return waiter.Task.WaitAsync(cancellationToken);
    }

    public void Dispose()
    {
        _ticker.Dispose();
        CloseCommands();
        if (Volatile.Read(ref _owner) != Thread.CurrentThread)
        {
            _thread.Join();
        }
    }

    /// <summary>Queues <paramref name="command"/> for whichever thread owns the node, waking the loop thread if none does.</summary>
    private void Post(Action command)
    {
        lock (_commandsGate)
        {
            if (_commandsClosed)
            {
                return; // stopped (or disposed): the caller's wait times out or was failed when the loop stopped
            }

            if (_owner is null && _loopSleeping && _commands.Count == 0)
            {
                _firstQueuedWhileSleeping = Stopwatch.GetTimestamp();
                Monitor.Pulse(_commandsGate);
            }

            _commands.Add(command);
        }
    }

    /// <summary>
    /// Queues <paramref name="command"/> and, when no thread owns the node, runs it here with what
    /// else is queued and the Readies that follow (one round), instead of waking the loop thread.
    /// </summary>
    /// <remarks>
    /// At low load every message and proposal found the loop asleep, and waking it cost tens of
    /// microseconds and two context switches, five times on a write sent to a follower (its
    /// proposal, the leader's MsgProp, the follower's MsgApp, the leader's MsgAppResp, the
    /// follower's commit): as much as the fsync. Callers must hold no lock the loop's work could
    /// need (the peer stream handler and the client write path hold none). Only one round runs
    /// here, so a busy member's caller does not become its loop: what arrives meanwhile goes to the
    /// loop thread.
    /// </remarks>
    private void PostAndRun(Action command)
    {
        lock (_commandsGate)
        {
            if (_commandsClosed)
            {
                return;
            }

            _commands.Add(command);
            if (_owner is not null)
            {
                return; // the owner takes it before it lets go
            }

            _owner = Thread.CurrentThread;
        }

        RunOwned(maxRounds: 1);
    }

    /// <summary>Takes no more commands; the loop runs those already queued, then ends.</summary>
    private void CloseCommands()
    {
        lock (_commandsGate)
        {
            _commandsClosed = true;
            Monitor.PulseAll(_commandsGate);
        }
    }

    /// <summary>
    /// Runs queued commands and the Readies they lead to, on a thread that owns the node, for at
    /// most <paramref name="maxRounds"/> swaps of the queue; then lets go of the node, waking the
    /// loop thread if commands are left (or the host is closing).
    /// </summary>
    private void RunOwned(int maxRounds)
    {
        var onLoopThread = Thread.CurrentThread == _thread;
        List<Action> released;
        try
        {
            for (var round = 0; ; round++)
            {
                lock (_commandsGate)
                {
                    if (_commands.Count == 0 || round == maxRounds)
                    {
                        // Taken while this thread still owns the node: the next owner's round
                        // gathers its own.
                        released = TakeReleased();

                        // Commands left over go to the loop thread itself, handed the node, rather
                        // than to whichever caller comes next: under load the loop keeps the node
                        // and batches, instead of callers taking turns to block in fsync.
                        _owner = _commands.Count > 0 && !_commandsClosed ? _thread : null;
                        if (_owner is not null || _commandsClosed)
                        {
                            _firstQueuedWhileSleeping = Stopwatch.GetTimestamp();
                            Monitor.PulseAll(_commandsGate);
                        }

                        break;
                    }

                    (_batch, _commands) = (_commands, _batch);
                }

                foreach (var command in _batch)
                {
                    command();
                }

                _batch.Clear();
                while (_node.HasReady())
                {
                    HandleReady(_node.Ready());
                }

                if (onLoopThread)
                {
                    RunReleased(TakeReleased(), inline: false); // the loop goes on with the next round meanwhile
                }
            }
        }
        catch (Exception e)
        {
            // Anything failing inside the loop leaves the log or the state machine in an unknown
            // state: stop serving rather than guess (etcd panics). The loop thread fails the waiters.
            // Results already released were flushed by the state machine: they stand.
            _fault = e;
            _batch.Clear();
            released = TakeReleased();
            lock (_commandsGate)
            {
                _commandsClosed = true;
                _owner = null;
                Monitor.PulseAll(_commandsGate);
            }

            _options.FaultObserver?.Invoke(e);
        }

        RunReleased(released, inline: !onLoopThread);
    }

    /// <summary>
    /// Completes a proposal's or a read's waiter once the round that decided it is over. A
    /// proposal's waiter runs its continuation synchronously (no
    /// <see cref="TaskCreationOptions.RunContinuationsAsynchronously"/>), so the caller that ran the
    /// round (a peer stream's handler bringing the commit, a client's handler bringing its
    /// proposal) answers one waiting client itself instead of waking a pool thread for it: at one
    /// client that wake-up was one more hand-off on every write. Never inside the round, where the
    /// continuation would run with the node held.
    /// </summary>
    private void Release(Action completion) => _released.Add(completion);

    /// <summary>The completions released so far. Caller: the node's owner.</summary>
    private List<Action> TakeReleased()
    {
        if (_released.Count == 0)
        {
            return [];
        }

        var released = _released;
        _released = [];
        return released;
    }

    /// <summary>
    /// Runs <paramref name="released"/> after a round: the first on this thread when
    /// <paramref name="inline"/>, the rest in one pool work item (the loop thread queues them all,
    /// so that it goes on with the next round).
    /// </summary>
    private static void RunReleased(List<Action> released, bool inline)
    {
        if (released.Count == 0)
        {
            return;
        }

        if (!inline || released.Count > 1)
        {
            ThreadPool.UnsafeQueueUserWorkItem(
                static state =>
                {
                    var (all, skipFirst) = state;
                    for (var i = skipFirst ? 1 : 0; i < all.Count; i++)
                    {
                        all[i]();
                    }
                },
                (released, inline),
                preferLocal: false);
        }

        if (inline)
        {
            released[0]();
        }
    }

    private void Loop()
    {
        while (true)
        {
            lock (_commandsGate)
            {
                var slept = false;
                while (_owner != _thread && (_owner is not null || (_commands.Count == 0 && !_commandsClosed)))
                {
                    _loopSleeping = true;
                    Monitor.Wait(_commandsGate);
                    _loopSleeping = false;
                    slept = true;
                }

                if (slept && _commands.Count > 0)
                {
                    _options.Observer?.WokeUp(Stopwatch.GetElapsedTime(_firstQueuedWhileSleeping));
                }

                _owner = Thread.CurrentThread;
                if (_commands.Count == 0 || _fault is not null)
                {
                    break; // closed and drained, or failed: this thread keeps the node to fail what waits
                }
            }

            RunOwned(int.MaxValue);
        }

        var stopped = _fault is null ? (Exception)EtcdErrors.Stopped : _fault;
        foreach (var waiter in _proposals.Values)
        {
            Release(() => waiter.TrySetException(stopped));
        }

        foreach (var waiter in _nextReads.Concat(_readInFlight?.Waiters ?? []))
        {
            Release(() => waiter.TrySetException(stopped));
        }

        foreach (var (_, waiter) in _applyWaiters)
        {
            Release(() => waiter.TrySetException(stopped));
        }

        foreach (var waiter in _leaderWaiters)
        {
            waiter.TrySetException(stopped);
        }

        foreach (var (waiter, _) in _appliedResults)
        {
            Release(() => waiter.TrySetException(stopped)); // applied, perhaps, but never flushed
        }

        foreach (var waiter in _confChanges.Values)
        {
            waiter.TrySetException(stopped);
        }

        RunReleased(TakeReleased(), inline: false);
    }

    private void HandleReady(Ready ready)
    {
        if (ready.SoftState is { } soft)
        {
            var previous = _leader;
            Volatile.Write(ref _leader, soft.Lead);
            if (previous != soft.Lead)
            {
                LeaderChanged?.Invoke(soft.Lead, _node.Status().Term);
            }

            if (soft.Lead != 0)
            {
                foreach (var waiter in _leaderWaiters)
                {
                    waiter.TrySetResult(soft.Lead);
                }

                _leaderWaiters.Clear();
            }
        }

        // The leader sends before it persists (etcd's raftNode does the same, after section 10.2.1
        // of the Raft thesis): its appends reach the followers while its own fsync runs, so a
        // write waits for one disk sync instead of two in a row. Nothing it sends promises its own
        // durability, and it commits and applies only after this save, since the followers'
        // answers are handled on this thread after it. Anyone else's messages (votes, append
        // answers) promise what they carry is on disk: they go after the save.
        var sendFirst = IsLeader && ready.Messages.Count > 0;
        if (sendFirst)
        {
            _transport.Send(ready.Messages);
        }

        var snapshot = ready.Snapshot is { Metadata.Index: > 0 } received ? received.Metadata : null;
        var mustSync = ready.MustSync || snapshot is not null;
        var started = Stopwatch.GetTimestamp();
        _storage.Save(ready.Snapshot, ready.Entries, ready.HardState, mustSync);
        _options.Observer?.Saved(ready.Entries.Count, mustSync, Stopwatch.GetElapsedTime(started));

        if (snapshot is not null)
        {
            RestoreSnapshot(snapshot);
        }

        if (ready.HardState is { } hardState && (hardState.Term != 0 || hardState.Commit != 0))
        {
            Volatile.Write(ref _term, hardState.Term);
            Volatile.Write(ref _commitIndex, hardState.Commit);
        }

        if (!sendFirst && ready.Messages.Count > 0)
        {
            _transport.Send(ready.Messages);
        }

        var confChanged = false;
        if (ready.CommittedEntries.Count > 0)
        {
            var applyStarted = Stopwatch.GetTimestamp();
            var applied = _appliedIndex;
            foreach (var entry in ready.CommittedEntries)
            {
                if (entry.Index > applied)
                {
                    confChanged |= Apply(entry);
                    applied = entry.Index;
                }
            }

            // The state machine may have gathered the entries' effects: only once they are
            // readable do their clients, and reads waiting for the index, go on.
            _stateMachine.FlushApplied();
            Volatile.Write(ref _appliedIndex, applied);
            foreach (var (waiter, result) in _appliedResults)
            {
                Release(() => waiter.TrySetResult(result));
            }

            _appliedResults.Clear();
            ReleaseApplyWaiters(applied);
            _options.Observer?.Applied(ready.CommittedEntries.Count, Stopwatch.GetElapsedTime(applyStarted));
        }

        var readsAnswered = false;
        foreach (var state in ready.ReadStates)
        {
            var sequence = BinaryPrimitives.ReadUInt64BigEndian(state.RequestContext.Span);
            if (_readInFlight is { } batch && batch.Sequence == sequence)
            {
                _readInFlight = null;
                readsAnswered = true;
                foreach (var waiter in batch.Waiters)
                {
                    WaitApplied(state.Index, waiter);
                }
            }
        }

        _node.Advance(ready);
        if (readsAnswered && _nextReads.Count > 0)
        {
            SendNextReads();
        }

        if (confChanged && _appliedIndex > _storage.Snapshot().Metadata.Index)
        {
            // A member added now may need a snapshot to start from (its log is empty), and a
            // follower ignores one whose configuration does not hold it: record the new one at once.
            _storage.CreateSnapshot(_appliedIndex, _confState);
        }

        if (ready.CommittedEntries.Count > 0)
        {
            _storage.MaybeSnapshot(_appliedIndex, _confState, _options.SnapshotCount, _options.SnapshotCatchUpEntries);
        }
    }

    private void Tick()
    {
        _node.Tick();
        _ticks++;
        // A ReadIndex request can be lost (the leader changed, a message was dropped) and would
        // hold every read behind it; etcd's read loop sends it again, with the same context, after
        // readIndexRetryTime, and takes whichever answer comes first.
        if (_readInFlight is { } batch && _ticks - batch.SentAtTick >= ReadRetryTicks)
        {
            Send(batch with { SentAtTick = _ticks });
        }
    }

    /// <summary>Sends one ReadIndex request for every read waiting for the next one. Caller: the node's owner, none in flight.</summary>
    private void SendNextReads()
    {
        var waiters = _nextReads;
        _nextReads = [];
        Send(new ReadBatch((ulong)Interlocked.Increment(ref _sequence), waiters, _ticks));
    }

    private void Send(ReadBatch batch)
    {
        _readInFlight = batch;
        var context = new byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(context, batch.Sequence);
        try
        {
            _node.ReadIndex(ByteString.CopyFrom(context));
        }
        catch (ProposalDroppedException)
        {
            // Leader is what the last Ready said; a tick or message earlier in this batch of
            // commands may have cost Raft its leader since (a check-quorum step-down).
            _readInFlight = null;
            foreach (var waiter in batch.Waiters)
            {
                Release(() => waiter.TrySetException(EtcdErrors.NoLeader));
            }
        }
    }

    /// <summary>
    /// Applies one committed entry not yet applied (entries up to the applied index are in the state
    /// machine from before a restart, or from a snapshot); returns whether it was a conf change.
    /// Its waiter gets the result after <see cref="IRaftStateMachine.FlushApplied"/>.
    /// </summary>
    private bool Apply(Entry entry)
    {
        object? result = null;
        var proposer = 0ul;
        var sequence = 0ul;
        if (entry.Type == EntryType.EntryConfChange)
        {
            var change = ConfChange.Parser.ParseFrom(entry.Data);
            result = _stateMachine.ApplyConfChange(entry.Index, change, applied => _confState = _node.ApplyConfChange(applied));
            if (_confChanges.Remove(change.Id, out var changeWaiter))
            {
                _appliedResults.Add((changeWaiter, result));
            }

            return true;
        }
        else if (entry.Data.Length >= HeaderSize)
        {
            var data = entry.Data.Memory;
            proposer = BinaryPrimitives.ReadUInt64BigEndian(data.Span);
            sequence = BinaryPrimitives.ReadUInt64BigEndian(data.Span[8..]);
            result = _stateMachine.Apply(entry.Index, data[HeaderSize..]);
        }
        else
        {
            _stateMachine.Apply(entry.Index, ReadOnlyMemory<byte>.Empty);
        }

        if (proposer == _id && _proposals.Remove(sequence, out var waiter))
        {
            _appliedResults.Add((waiter, result));
        }

        return false;
    }

    /// <summary>
    /// The leader's snapshot, already saved in the log, becomes the state machine; entries up to
    /// the restored database's consistent index (at or above the snapshot's) are skipped after it.
    /// </summary>
    private void RestoreSnapshot(SnapshotMetadata snapshot)
    {
        _stateMachine.Restore(snapshot);
        _confState = (snapshot.ConfState ?? new ConfState()).Clone();
        if (_stateMachine.ConfState is { } restored)
        {
            ReconcileConfState(restored);
        }

        var applied = Math.Max(_stateMachine.AppliedIndex, snapshot.Index);
        Volatile.Write(ref _appliedIndex, applied);
        ReleaseApplyWaiters(applied);
    }

    /// <summary>
    /// etcd's recoverSnapshotBackend: a crash between saving a received snapshot in the log and
    /// restoring the state machine from it leaves the log's snapshot ahead of the state machine,
    /// with the entries between them gone; restore again from the snapshot's database. (A new
    /// cluster's log starts with a snapshot at index 1 that has no database and needs none.)
    /// </summary>
    private static void RecoverSnapshot(RaftLogStorage storage, IRaftStateMachine stateMachine)
    {
        var snapshot = storage.Snapshot().Metadata;
        if (snapshot.Index > 1 && snapshot.Index > stateMachine.AppliedIndex && storage.FirstIndex() > stateMachine.AppliedIndex + 1)
        {
            stateMachine.Restore(snapshot);
        }
    }

    /// <summary>
    /// The leader's database may be newer than its snapshot's metadata, past conf changes that are
    /// then skipped here: bring Raft to the configuration the database was saved with.
    /// </summary>
    private void ReconcileConfState(ConfState target)
    {
        var changes = new List<ConfChange>();
        changes.AddRange(target.Voters.Except(_confState.Voters).Select(id => new ConfChange { Type = ConfChangeType.ConfChangeAddNode, NodeId = id }));
        changes.AddRange(target.Learners.Except(_confState.Learners).Select(id => new ConfChange { Type = ConfChangeType.ConfChangeAddLearnerNode, NodeId = id }));
        changes.AddRange(_confState.Voters.Concat(_confState.Learners).Except(target.Voters).Except(target.Learners).Select(id => new ConfChange { Type = ConfChangeType.ConfChangeRemoveNode, NodeId = id }));
        foreach (var change in changes)
        {
            _confState = _node.ApplyConfChange(change);
        }
    }

    private void ReleaseApplyWaiters(ulong applied)
    {
        for (var i = _applyWaiters.Count - 1; i >= 0; i--)
        {
            if (_applyWaiters[i].Index <= applied)
            {
                var (index, waiter) = _applyWaiters[i];
                Release(() => waiter.TrySetResult(index));
                _applyWaiters.RemoveAt(i);
            }
        }
    }

    private void WaitApplied(ulong index, TaskCompletionSource<ulong> waiter)
    {
        if (index <= _appliedIndex)
        {
            Release(() => waiter.TrySetResult(index));
        }
        else
        {
            _applyWaiters.Add((index, waiter));
        }
    }

    /// <summary>The reads waiting for the answer to the ReadIndex request with context <paramref name="Sequence"/>.</summary>
    private sealed record ReadBatch(ulong Sequence, List<TaskCompletionSource<ulong>> Waiters, long SentAtTick);
}
