using Etcdserverpb;
using MiniKube.Grpc;
using MiniKube.Store.Internal;
using MiniKube.Store.Lease;

namespace MiniKube.Store.Server.Services;

/// <summary>etcdserverpb.Lease, as etcd's v3rpc/lease.go answers it.</summary>
public sealed class LeaseService(StoreServer server)
{
    public const string ServiceName = "etcdserverpb.Lease";

    public void Register(StoreServiceRegistry registry)
    {
        registry.AddUnary<LeaseGrantRequest, LeaseGrantResponse>(ServiceName, "LeaseGrant", LeaseGrantRequest.Parser, GrantAsync);
        registry.AddUnary<LeaseRevokeRequest, LeaseRevokeResponse>(ServiceName, "LeaseRevoke", LeaseRevokeRequest.Parser, RevokeAsync);
        registry.AddDuplexStreaming<LeaseKeepAliveRequest, LeaseKeepAliveResponse>(ServiceName, "LeaseKeepAlive", LeaseKeepAliveRequest.Parser, KeepAliveAsync);
        registry.AddUnary<LeaseTimeToLiveRequest, LeaseTimeToLiveResponse>(ServiceName, "LeaseTimeToLive", LeaseTimeToLiveRequest.Parser, TimeToLiveAsync);
        registry.AddUnary<LeaseLeasesRequest, LeaseLeasesResponse>(ServiceName, "LeaseLeases", LeaseLeasesRequest.Parser, LeasesAsync);
    }

    private async Task<LeaseGrantResponse> GrantAsync(LeaseGrantRequest request, ServerCallContext context)
    {
        // The proposer picks the ID, so that every member applying the grant agrees on it.
        var grant = new LeaseGrantRequest(request);
        if (grant.ID == 0)
        {
            grant.ID = StoreServer.NewLeaseId();
        }

        server.CheckQuota(grant.CalculateSize());
        var response = await server.WriteAsync<LeaseGrantResponse>(new InternalRequest { LeaseGrant = grant }, context.CancellationToken).ConfigureAwait(false);
        server.Fill(response.Header);
        return response;
    }

    private async Task<LeaseRevokeResponse> RevokeAsync(LeaseRevokeRequest request, ServerCallContext context)
    {
        var response = await server.WriteAsync<LeaseRevokeResponse>(new InternalRequest { LeaseRevoke = request }, context.CancellationToken).ConfigureAwait(false);
        server.Fill(response.Header);
        return response;
    }

    private async Task KeepAliveAsync(IAsyncStreamReader<LeaseKeepAliveRequest> requests, IServerStreamWriter<LeaseKeepAliveResponse> responses, ServerCallContext context)
    {
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, server.ShutdownToken);
        try
        {
            await KeepAliveLoopAsync(requests, responses, cancel.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (server.ShutdownToken.IsCancellationRequested)
        {
            throw EtcdErrors.Stopped;
        }
    }

    private async Task KeepAliveLoopAsync(IAsyncStreamReader<LeaseKeepAliveRequest> requests, IServerStreamWriter<LeaseKeepAliveResponse> responses, CancellationToken cancellationToken)
    {
        while (await requests.MoveNext(cancellationToken).ConfigureAwait(false))
        {
            var id = requests.Current.ID;

            // The header is taken before renewing, so its revision is never later than the renewal
            // (etcd: a lease revoked at rev 3 must not look renewed at rev 4).
            var response = new LeaseKeepAliveResponse { ID = id, Header = server.Header(server.Mvcc.Revision) };
            try
            {
                response.TTL = await server.RenewLeaseAsync(id, cancellationToken).ConfigureAwait(false);
            }
            catch (LeaseException e) when (e.Error == LeaseError.NotFound)
            {
                response.TTL = 0; // etcd answers an unknown lease with TTL 0, not an error
            }

            await responses.WriteAsync(response, cancellationToken).ConfigureAwait(false);
        }
    }

    private Task<LeaseTimeToLiveResponse> TimeToLiveAsync(LeaseTimeToLiveRequest request, ServerCallContext context) =>
        server.LeaseTimeToLiveAsync(request, context.CancellationToken);

    private Task<LeaseLeasesResponse> LeasesAsync(LeaseLeasesRequest request, ServerCallContext context)
    {
        var response = new LeaseLeasesResponse { Header = server.Header(server.Mvcc.Revision) };
        response.Leases.AddRange(server.Lessor.List().Select(id => new LeaseStatus { ID = id }));
        return Task.FromResult(response);
    }
}
