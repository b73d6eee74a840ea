using System.Collections.Frozen;
using Google.Protobuf;
using MiniKube.Grpc.Server;

namespace MiniKube.Grpc;

/// <summary>
/// The methods a server answers, by full path "/service/method". Filled before
/// <see cref="GrpcApplicationBuilderExtensions.UseGrpcServices"/>, which freezes it: lookups on the
/// hot path then read an immutable table without locks.
/// </summary>
public sealed class GrpcServiceRegistry
{
    private readonly Dictionary<string, ServerMethod> _methods = new(StringComparer.Ordinal);
    private bool _frozen;

    public void AddUnary<TRequest, TResponse>(string service, string method, MessageParser<TRequest> parser, Func<TRequest, ServerCallContext, Task<TResponse>> handler)
        where TRequest : IMessage<TRequest>
        where TResponse : IMessage<TResponse>
        => Add(service, method, new UnaryServerMethod<TRequest, TResponse>(Require(parser), Require(handler)));

    public void AddServerStreaming<TRequest, TResponse>(string service, string method, MessageParser<TRequest> parser, Func<TRequest, IServerStreamWriter<TResponse>, ServerCallContext, Task> handler)
        where TRequest : IMessage<TRequest>
        where TResponse : IMessage<TResponse>
        => Add(service, method, new ServerStreamingServerMethod<TRequest, TResponse>(Require(parser), Require(handler)));

    public void AddDuplexStreaming<TRequest, TResponse>(string service, string method, MessageParser<TRequest> parser, Func<IAsyncStreamReader<TRequest>, IServerStreamWriter<TResponse>, ServerCallContext, Task> handler)
        where TRequest : IMessage<TRequest>
        where TResponse : IMessage<TResponse>
        => Add(service, method, new DuplexStreamingServerMethod<TRequest, TResponse>(Require(parser), Require(handler)));

    internal (FrozenDictionary<string, ServerMethod> Methods, FrozenSet<string> Services) Freeze()
    {
        _frozen = true;
        var services = _methods.Keys.Select(path => path[1..path.LastIndexOf('/')]).ToFrozenSet(StringComparer.Ordinal);
        return (_methods.ToFrozenDictionary(StringComparer.Ordinal), services);
    }

    private void Add(string service, string method, ServerMethod serverMethod)
    {
        ArgumentException.ThrowIfNullOrEmpty(service);
        ArgumentException.ThrowIfNullOrEmpty(method);
        if (service.Contains('/', StringComparison.Ordinal) || method.Contains('/', StringComparison.Ordinal))
        {
            throw new ArgumentException("Service and method names cannot contain '/'.");
        }

        if (_frozen)
        {
            throw new InvalidOperationException("The registry is in use by a server; register methods before UseGrpcServices.");
        }

        var path = $"/{service}/{method}";
        if (!_methods.TryAdd(path, serverMethod))
        {
            throw new ArgumentException($"{path} is already registered.");
        }
    }

    private static T Require<T>(T value)
        where T : class
        => value ?? throw new ArgumentNullException(nameof(value));
}
