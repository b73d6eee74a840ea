using MiniKube.Api.Coordination;
using MiniKube.Client.LeaderElection;

using MiniKube.Testing.Cluster;

namespace MiniKube.Client.Tests.Integration;

public sealed class LeaderElectorTests(ClusterFixture cluster) : IClassFixture<ClusterFixture>
{
    private sealed class Candidate
    {
        public required string Identity { get; init; }

        public volatile bool Leading;

        public int Started;

        public int Stopped;

        public CancellationTokenSource Stop { get; } = new();

        public Task Run { get; set; } = Task.CompletedTask;
    }

    private Candidate Start(string ns, string identity, int seed, bool release, TimeSpan? retryPeriod = null)
    {
        var candidate = new Candidate { Identity = identity };
        var client = cluster.NewClient();
        var elector = new LeaderElector(client, new LeaderElectionConfig
        {
            LeaseNamespace = ns,
            LeaseName = "controller",
            Identity = identity,
            LeaseDuration = retryPeriod is null ? TimeSpan.FromSeconds(3) : 4 * retryPeriod.Value,
            RenewDeadline = retryPeriod is null ? TimeSpan.FromSeconds(2) : 3 * retryPeriod.Value,
            RetryPeriod = retryPeriod ?? TimeSpan.FromMilliseconds(300),
            ReleaseOnCancel = release,
            Seed = seed,
            OnStartedLeading = async ct =>
            {
                Interlocked.Increment(ref candidate.Started);
                candidate.Leading = true;
                try
                {
                    await Task.Delay(Timeout.Infinite, ct);
                }
                finally
                {
                    candidate.Leading = false;
                }
            },
            OnStoppedLeading = () => Interlocked.Increment(ref candidate.Stopped),
        });
        candidate.Run = Task.Run(async () =>
        {
            using (client)
            {
                await elector.RunAsync(candidate.Stop.Token);
            }
        });
        return candidate;
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Exactly_one_of_two_electors_leads_and_the_other_takes_over_when_it_stops(bool releaseOnCancel)
    {
        var ns = await cluster.NewNamespaceAsync("le");
        var a = Start(ns, "a", seed: 1, releaseOnCancel);
        var b = Start(ns, "b", seed: 2, releaseOnCancel);

        await Eventually.TrueAsync(() => a.Leading || b.Leading, "a leader");
        for (var i = 0; i < 20; i++)
        {
            Assert.False(a.Leading && b.Leading, "both lead");
            await Task.Delay(50);
        }

        var (leader, other) = a.Leading ? (a, b) : (b, a);
        Assert.False(other.Leading);
        using var client = cluster.NewClient();
        var lease = await client.GetAsync<Lease>(ns, "controller");
        Assert.Equal(leader.Identity, lease.Spec!.HolderIdentity);

        await leader.Stop.CancelAsync();
        await leader.Run.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal((1, 1, false), (leader.Started, leader.Stopped, leader.Leading));

        await Eventually.TrueAsync(() => other.Leading, "the other to take over", TimeSpan.FromSeconds(10));
        lease = await client.GetAsync<Lease>(ns, "controller");
        Assert.Equal(other.Identity, lease.Spec!.HolderIdentity);
        Assert.Equal(1, lease.Spec.LeaseTransitions);
        Assert.Equal(3, lease.Spec.LeaseDurationSeconds);

        await other.Stop.CancelAsync();
        await other.Run.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task A_stopping_leader_releases_its_lease_even_when_its_copy_is_a_version_behind()
    {
        // As when the renew that the stop cancelled had reached the apiserver after all: the lease is still ours,
        // with a newer resourceVersion than the one the elector holds.
        var ns = await cluster.NewNamespaceAsync("le");
        var a = Start(ns, "a", seed: 1, release: true, retryPeriod: TimeSpan.FromSeconds(5));
        await Eventually.TrueAsync(() => a.Leading, "a to lead");
        using var client = cluster.NewClient();
        var lease = await client.GetAsync<Lease>(ns, "controller");
        lease.Spec!.RenewTime = DateTimeOffset.UtcNow;
        var bumped = await client.UpdateAsync(lease);
        Assert.Equal("a", bumped.Spec!.HolderIdentity);

        await a.Stop.CancelAsync();
        await a.Run.WaitAsync(TimeSpan.FromSeconds(10));

        var released = await client.GetAsync<Lease>(ns, "controller");
        Assert.True(string.IsNullOrEmpty(released.Spec!.HolderIdentity), $"still held by {released.Spec.HolderIdentity}");
        Assert.Equal(1, released.Spec.LeaseDurationSeconds);
    }
}
