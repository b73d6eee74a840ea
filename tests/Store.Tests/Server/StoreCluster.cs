using Microsoft.Extensions.Logging.Abstractions;
using MiniKube.Store.Backend;
using MiniKube.Store.Server;
using MiniKube.Store.Tests.Consensus;

namespace MiniKube.Store.Tests.Server;

/// <summary>
/// Store servers founding one cluster over an in-memory Raft network, on a manual clock: nothing
/// is elected until a test campaigns or advances time.
/// </summary>
public sealed class StoreCluster : IAsyncDisposable
{
    public StoreCluster(int size)
    {
        var names = Enumerable.Range(1, size).Select(i => $"n{i}").ToArray();
        var cluster = string.Join(",", names.Select((n, i) => $"{n}=http://127.0.0.1:{2380 + i}"));
        for (var i = 0; i < size; i++)
        {
            var options = new StoreOptions { Name = names[i], InitialCluster = cluster, InitialAdvertisePeerUrls = [new Uri($"http://127.0.0.1:{2380 + i}")] };
            var id = options.ResolvedInitialCluster[i].Id;
            var server = new StoreServer(new InMemoryBackend(), options, Time, NullLoggerFactory.Instance, Network.TransportFor(id));
            Network.Register(server.Raft);
            Members.Add(server);
        }

        foreach (var member in Members)
        {
            member.LeaseForwarder = LeaseForwarder;
        }
    }

    public ManualTimeProvider Time { get; } = new();

    public InProcessLeaseForwarder LeaseForwarder => field ??= new InProcessLeaseForwarder(Members);

    public InMemoryRaftNetwork Network { get; } = new();

    public List<StoreServer> Members { get; } = [];

    /// <summary>Makes <paramref name="member"/> leader and waits until every member knows it.</summary>
    public async Task ElectAsync(StoreServer member)
    {
        member.Raft.Campaign();
        await WaitForLeaderAsync(member);
    }

    /// <summary>Waits until every member knows <paramref name="member"/> as leader.</summary>
    public async Task WaitForLeaderAsync(StoreServer member)
    {
        foreach (var m in Members)
        {
            var deadline = DateTime.UtcNow.AddSeconds(20);
            while (await m.Raft.WaitForLeaderAsync().WaitAsync(TimeSpan.FromSeconds(20)) != member.Raft.Id)
            {
                Assert.True(DateTime.UtcNow < deadline, $"{m.Raft.Id:x} does not know {member.Raft.Id:x} as leader: {Describe()}");
                await Task.Delay(5);
            }
        }
    }

    /// <summary>Each member's view: ID, leader, term, commit and applied index.</summary>
    public string Describe() =>
        string.Join("; ", Members.Select(m => $"{m.Raft.Id:x}: leader {m.Raft.Leader:x} term {m.Raft.Term} commit {m.Raft.CommitIndex} applied {m.Raft.AppliedIndex}"));

    /// <summary>
    /// Moves the clock in heartbeat-sized steps, pausing after each so that the hosts exchange the
    /// messages of one tick before the next: a burst of ticks with no messages between them looks
    /// to a leader like a quorum that stopped answering.
    /// </summary>
    public async Task AdvanceAsync(TimeSpan by)
    {
        var step = TimeSpan.FromMilliseconds(100);
        for (var elapsed = TimeSpan.Zero; elapsed < by; elapsed += step)
        {
            Time.Advance(step);
            await Task.Delay(2);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var member in Members)
        {
            await member.DisposeAsync();
        }
    }
}
