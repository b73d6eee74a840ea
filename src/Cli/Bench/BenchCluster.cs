using Etcdserverpb;
using MiniKube.Grpc;

namespace MiniKube.Cli.Bench;

/// <summary>
/// The members of one store cluster started for a comparison run (MiniKube's or a real etcd's),
/// each a <see cref="BenchServer"/> with a data directory under one root. Disposing stops them all.
/// </summary>
public sealed class BenchCluster : IAsyncDisposable
{
    private readonly IReadOnlyList<BenchServer> _members;

    private BenchCluster(string kind, IReadOnlyList<BenchServer> members, IReadOnlyList<Uri> clientUrls)
    {
        Kind = kind;
        _members = members;
        ClientUrls = clientUrls;
    }

    /// <summary>"minikube" or "etcd".</summary>
    public string Kind { get; }

    public int Size => _members.Count;

    /// <summary>
    /// The members' client URLs, the followers first and the leader last (as it was when the
    /// cluster came up): a workload's connections go round-robin over them, so one connection
    /// writes through a follower, which forwards to the leader, on both kinds of cluster alike.
    /// </summary>
    public IReadOnlyList<Uri> ClientUrls { get; }

    /// <summary>CPU time all members have used so far (user and system, all threads).</summary>
    public TimeSpan CpuTime => _members.Aggregate(TimeSpan.Zero, (sum, member) => sum + member.CpuTime);

    /// <summary>Resident memory of all members together now, in bytes.</summary>
    public long ResidentBytes => _members.Sum(member => member.ResidentBytes);

    /// <summary>Starts <paramref name="size"/> members of MiniKube's store as one new cluster and waits until each serves.</summary>
    public static Task<BenchCluster> StartMiniKubeAsync(int size, string root, CancellationToken cancellationToken) =>
        StartAsync("minikube", size, root, (member, cluster, dir) => BenchServer.LaunchMiniKube(member, cluster, dir), cancellationToken);

    /// <summary>Starts <paramref name="size"/> members of a real etcd as one new cluster and waits until each serves.</summary>
    public static Task<BenchCluster> StartEtcdAsync(string binary, int size, string root, CancellationToken cancellationToken) =>
        StartAsync("etcd", size, root, (member, cluster, dir) => BenchServer.LaunchEtcd(binary, member, cluster, dir), cancellationToken);

    public async ValueTask DisposeAsync()
    {
        foreach (var member in _members)
        {
            await member.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>
    /// All members start before any is waited for: a member serves only once a quorum has
    /// elected a leader.
    /// </summary>
    private static async Task<BenchCluster> StartAsync(
        string kind, int size, string root, Func<BenchServer.BenchMember, string, string, BenchServer> launch, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        var members = Enumerable.Range(1, size).Select(i => BenchServer.BenchMember.Create($"{kind}-{i}")).ToList();
        var initialCluster = string.Join(',', members.Select(m => m.ClusterEntry));
        var servers = new List<BenchServer>();
        try
        {
            foreach (var member in members)
            {
                servers.Add(launch(member, initialCluster, Path.Combine(root, member.Name)));
            }

            await Task.WhenAll(servers.Select(s => s.WaitUntilServingAsync(TimeSpan.FromSeconds(60), cancellationToken))).ConfigureAwait(false);
            var urls = await FollowersFirstAsync(servers, cancellationToken).ConfigureAwait(false);
            return new BenchCluster(kind, servers, urls);
        }
        catch
        {
            foreach (var server in servers)
            {
                await server.DisposeAsync().ConfigureAwait(false);
            }

            throw;
        }
    }

    /// <summary>The client URLs with the member that reports itself leader (Maintenance.Status) moved to the end.</summary>
    private static async Task<IReadOnlyList<Uri>> FollowersFirstAsync(IReadOnlyList<BenchServer> servers, CancellationToken cancellationToken)
    {
        var followers = new List<Uri>();
        var leaders = new List<Uri>();
        foreach (var server in servers)
        {
            using var channel = GrpcChannel.ForAddress(server.ClientUrl);
            var status = await channel.UnaryAsync(
                MiniKube.Etcd.Client.EtcdMethods.Status, new StatusRequest(), new CallOptions(Deadline: DateTime.UtcNow.AddSeconds(10), CancellationToken: cancellationToken)).ConfigureAwait(false);
            (status.Leader == status.Header.MemberId ? leaders : followers).Add(server.ClientUrl);
        }

        return [.. followers, .. leaders];
    }
}
