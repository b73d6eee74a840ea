using System.Collections.Concurrent;
using Google.Protobuf.WellKnownTypes;
using MiniKube.Grpc.Tests.Infrastructure;

namespace MiniKube.Grpc.Tests;

public sealed class ObserverTests
{
    [Fact]
    public async Task Every_call_to_a_registered_method_is_observed_starting_and_ending_with_its_code()
    {
        var observer = new RecordingObserver();
        await using var server = await TestServer.StartGrpcAsync(new TestService().Register, new GrpcServerOptions { Observer = observer });
        using var channel = GrpcChannel.ForAddress(server.Address);

        await channel.UnaryAsync(TestService.Echo, new StringValue { Value = "x" });
        await Assert.ThrowsAsync<RpcException>(() => channel.UnaryAsync(TestService.FailNotFound, new StringValue { Value = "gone" }));
        using (var count = channel.ServerStreaming(TestService.Count, new Int64Value { Value = 3 }))
        {
            while (await count.ResponseStream.MoveNext())
            {
            }
        }

        using (var chat = channel.DuplexStreaming(TestService.Chat))
        {
            await chat.RequestStream.CompleteAsync();
            while (await chat.ResponseStream.MoveNext())
            {
            }
        }

        await Assert.ThrowsAsync<RpcException>(() => channel.UnaryAsync(new Method<StringValue, StringValue>("test.Echo", "NoSuchMethod", StringValue.Parser), new StringValue()));

        // The server may record a call's end just after the client has seen it.
        await WaitForAsync(() => observer.Finished.Count == 4);
        Assert.Equal(
            ["test.Echo/Echo Unary", "test.Echo/FailNotFound Unary", "test.Echo/Count ServerStream", "test.Echo/Chat BidiStream"],
            observer.Started);
        Assert.Equal(
            ["test.Echo/Echo Unary OK", "test.Echo/FailNotFound Unary NotFound", "test.Echo/Count ServerStream OK", "test.Echo/Chat BidiStream OK"],
            observer.Finished.OrderBy(observer.FinishedOrder));
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        for (var i = 0; i < 100 && !condition(); i++)
        {
            await Task.Delay(20);
        }
    }

    private sealed class RecordingObserver : IGrpcCallObserver
    {
        public ConcurrentQueue<string> StartedQueue { get; } = new();

        public ConcurrentQueue<string> FinishedQueue { get; } = new();

        public List<string> Started => [.. StartedQueue];

        public List<string> Finished => [.. FinishedQueue];

        public int FinishedOrder(string entry) => Started.FindIndex(s => entry.StartsWith(s + " ", StringComparison.Ordinal));

        public void CallStarted(string service, string method, GrpcMethodType type) => StartedQueue.Enqueue($"{service}/{method} {type}");

        public void CallFinished(string service, string method, GrpcMethodType type, StatusCode code) => FinishedQueue.Enqueue($"{service}/{method} {type} {code}");
    }
}
