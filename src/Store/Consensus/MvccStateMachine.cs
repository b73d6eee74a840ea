using MiniKube.Store.Internal;
using MiniKube.Store.Server;
using MiniKube.Store.Watch;

namespace MiniKube.Store.Consensus;

/// <summary>
/// The store as a Raft state machine: each committed payload is an <see cref="InternalRequest"/>
/// applied through the same <see cref="Applier"/> as the single-member pipeline, with the Raft
/// index as the applied index in the same batch. The result handed back is the
/// <see cref="AppliedWrite"/> the proposing client waits for.
/// </summary>
/// <remarks>
/// A write becomes visible once applied, before the backend is synced: unlike the single-member
/// pipeline, the entry is already durable in this member's Raft log (saved, synced, before it was
/// applied) and on a quorum, so a crash replays it rather than loses it. Called only from the host
/// loop thread.
/// </remarks>
public sealed class MvccStateMachine(Applier applier, WatchHub watchHub) : IRaftStateMachine
{
    public ulong AppliedIndex => (ulong)applier.Store.AppliedIndex;

    public object? Apply(ulong index, ReadOnlyMemory<byte> payload)
    {
        var store = applier.Store;
        if (payload.IsEmpty)
        {
            using var empty = store.BeginWrite((long)index);
            empty.Commit();
            return null;
        }

        var before = store.WriteRevision;
        var result = applier.Apply(InternalRequest.Parser.ParseFrom(payload.Span), (long)index);
        var revision = store.WriteRevision;
        store.Publish(revision);
        if (revision != before || result.Changes.Count > 0)
        {
            watchHub.Notify(revision, result.Changes);
        }

        return result.ScheduledCompaction > 0
            ? result with { PhysicalCompaction = store.CompactPhysicallyAsync(result.ScheduledCompaction) }
            : result;
    }
}
