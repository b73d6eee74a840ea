using MiniKube.Store.Consensus;

namespace MiniKube.Store.Tests.Consensus;

/// <summary>Counts what a host reports; the loop thread writes, the test reads after awaiting.</summary>
internal sealed class RecordingHostObserver : IRaftHostObserver
{
    private int _wakeUps;
    private int _savedEntries;
    private int _syncedSaves;
    private int _appliedEntries;
    private int _proposals;

    public int WakeUps => Volatile.Read(ref _wakeUps);

    public int SavedEntries => Volatile.Read(ref _savedEntries);

    public int SyncedSaves => Volatile.Read(ref _syncedSaves);

    public int AppliedEntries => Volatile.Read(ref _appliedEntries);

    public int Proposals => Volatile.Read(ref _proposals);

    public void WokeUp(TimeSpan delay) => Interlocked.Increment(ref _wakeUps);

    public void Saved(int entries, bool synced, TimeSpan elapsed)
    {
        Interlocked.Add(ref _savedEntries, entries);
        if (synced)
        {
            Interlocked.Increment(ref _syncedSaves);
        }
    }

    public void Applied(int entries, TimeSpan elapsed) => Interlocked.Add(ref _appliedEntries, entries);

    public void Proposed(TimeSpan elapsed) => Interlocked.Increment(ref _proposals);
}
