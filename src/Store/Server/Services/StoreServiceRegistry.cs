using Etcdserverpb;
using Google.Protobuf;
using MiniKube.Grpc;

namespace MiniKube.Store.Server.Services;

/// <summary>
/// Where the client API's services register their methods: each handler is wrapped in the checks
/// etcd's v3rpc interceptors make before any handler runs (api/v3rpc/interceptor.go). Today that
/// is the learner check: a learner serves only what <see cref="IsSupportedForLearner"/> allows, and
/// no streams at all, so that a client pointed at a learner goes to a voter instead.
/// </summary>
public sealed class StoreServiceRegistry(GrpcServiceRegistry inner, StoreServer server)
{
    /// <summary>etcd's ErrGRPCNotSupportedForLearner, word for word: clients (and etcdctl) match on it.</summary>
    public static RpcException NotSupportedForLearner => new(StatusCode.Unavailable, "etcdserver: rpc not supported for learner");

    public void AddUnary<TRequest, TResponse>(string service, string method, MessageParser<TRequest> parser, Func<TRequest, ServerCallContext, Task<TResponse>> handler)
        where TRequest : IMessage<TRequest>
        where TResponse : IMessage<TResponse>
        => inner.AddUnary<TRequest, TResponse>(service, method, parser, (request, context) =>
        {
            if (!IsSupportedForLearner(request) && IsLearner)
            {
                throw NotSupportedForLearner;
            }

            return handler(request, context);
        });

    public void AddServerStreaming<TRequest, TResponse>(string service, string method, MessageParser<TRequest> parser, Func<TRequest, IServerStreamWriter<TResponse>, ServerCallContext, Task> handler)
        where TRequest : IMessage<TRequest>
        where TResponse : IMessage<TResponse>
        => inner.AddServerStreaming<TRequest, TResponse>(service, method, parser, (request, responses, context) =>
            IsLearner ? throw NotSupportedForLearner : handler(request, responses, context));

    public void AddDuplexStreaming<TRequest, TResponse>(string service, string method, MessageParser<TRequest> parser, Func<IAsyncStreamReader<TRequest>, IServerStreamWriter<TResponse>, ServerCallContext, Task> handler)
        where TRequest : IMessage<TRequest>
        where TResponse : IMessage<TResponse>
        => inner.AddDuplexStreaming<TRequest, TResponse>(service, method, parser, (requests, responses, context) =>
            IsLearner ? throw NotSupportedForLearner : handler(requests, responses, context));

    /// <summary>
    /// etcd 3.4's isRPCSupportedForLearner: Status (endpoint status), and a serializable Range,
    /// which the learner answers from its own state. Everything else needs a voter: a write or a
    /// linearizable read would wait on a quorum the learner is not part of, and MemberList or a
    /// promotion would show a view the learner may not have caught up to.
    /// </summary>
    public static bool IsSupportedForLearner(IMessage request) => request switch
    {
        StatusRequest => true,
        RangeRequest range => range.Serializable,
        _ => false,
    };

    /// <summary>Whether this member is a learner now (etcd: IsMemberExist(self) and IsLearner()); promotion ends it.</summary>
    private bool IsLearner => server.Members.Find(server.Identity.MemberId) is { IsLearner: true };
}
