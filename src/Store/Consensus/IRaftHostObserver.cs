namespace MiniKube.Store.Consensus;

/// <summary>
/// What a <see cref="RaftHost"/> reports about the stages a write goes through (etcd's
/// etcd_disk_* and etcd_server_* histograms, and MiniKube's own for the hand-offs etcd does not
/// measure). Called on the thread owning the node (see <see cref="RaftHost"/>), except <see cref="Proposed"/>; implementations must be
/// quick and must not wait for the host.
/// </summary>
public interface IRaftHostObserver
{
    /// <summary>
    /// The loop, asleep with nothing to do, took commands <paramref name="delay"/> after the first
    /// of them was queued: the cost of one hand-off to the loop thread.
    /// </summary>
    void WokeUp(TimeSpan delay);

    /// <summary>One Ready persisted: <paramref name="entries"/> appended to the log, synced or not, taking <paramref name="elapsed"/>.</summary>
    void Saved(int entries, bool synced, TimeSpan elapsed);

    /// <summary>The <paramref name="entries"/> committed entries of one Ready applied to the state machine, taking <paramref name="elapsed"/>.</summary>
    void Applied(int entries, TimeSpan elapsed);

    /// <summary>A proposal made on this member applied here <paramref name="elapsed"/> after it was made. Called on the proposer's thread.</summary>
    void Proposed(TimeSpan elapsed);
}
