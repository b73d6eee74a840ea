using Google.Protobuf;

namespace MiniKube.Grpc;

/// <summary>A method as the client calls it: its service, its name, and how to parse its responses.</summary>
public sealed record Method<TRequest, TResponse>(string ServiceName, string Name, MessageParser<TResponse> ResponseParser)
    where TRequest : IMessage<TRequest>
    where TResponse : IMessage<TResponse>
{
    /// <summary>The HTTP/2 :path of the method, "/service/method".</summary>
    public string FullName => $"/{ServiceName}/{Name}";
}
