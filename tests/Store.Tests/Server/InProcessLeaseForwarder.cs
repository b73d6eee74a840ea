using Etcdserverpb;
using MiniKube.Store.Server;

namespace MiniKube.Store.Tests.Server;

/// <summary>
/// Forwards lease requests straight to another in-process member, answering as the peer endpoint
/// does: a member that is not the leader refuses ("not primary"), and the follower retries.
/// </summary>
public sealed class InProcessLeaseForwarder(IReadOnlyList<StoreServer> members) : ILeaseForwarder
{
    private int _forwarded;

    public int Forwarded => Volatile.Read(ref _forwarded);

    public Task<long> RenewAsync(ulong leader, long id, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _forwarded);
        return Primary(leader).Lessor.RenewAsync(id, cancellationToken);
    }

    public Task<LeaseTimeToLiveResponse> TimeToLiveAsync(ulong leader, LeaseTimeToLiveRequest request, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _forwarded);
        return Task.FromResult(Primary(leader).LocalTimeToLive(request) ?? throw new Lease.LeaseException(Lease.LeaseError.NotFound));
    }

    private StoreServer Primary(ulong leader)
    {
        var member = members.Single(m => m.Identity.MemberId == leader);
        return member.Raft.IsLeader ? member : throw new HttpRequestException("not primary", null, System.Net.HttpStatusCode.InternalServerError);
    }
}
