using System.Collections.Concurrent;
using Google.Protobuf.WellKnownTypes;

namespace MiniKube.Grpc.Tests.Infrastructure;

/// <summary>
/// The methods the tests call, on service "test.Echo", and what their handlers observed. Requests
/// that need observing carry an id of the test's choosing, so tests can share one server.
/// </summary>
internal sealed class TestService
{
    public const string Service = "test.Echo";

    public static readonly Method<StringValue, StringValue> Echo = new(Service, "Echo", StringValue.Parser);
    public static readonly Method<StringValue, StringValue> FailNotFound = new(Service, "FailNotFound", StringValue.Parser);
    public static readonly Method<StringValue, StringValue> Throw = new(Service, "Throw", StringValue.Parser);
    public static readonly Method<StringValue, StringValue> WaitForCancellation = new(Service, "WaitForCancellation", StringValue.Parser);
    public static readonly Method<StringValue, StringValue> IgnoreCancellation = new(Service, "IgnoreCancellation", StringValue.Parser);
    public static readonly Method<StringValue, StringValue> Headers = new(Service, "Headers", StringValue.Parser);
    public static readonly Method<Empty, Empty> Nothing = new(Service, "Nothing", Empty.Parser);
    public static readonly Method<Int64Value, BytesValue> Bytes = new(Service, "Bytes", BytesValue.Parser);
    public static readonly Method<BytesValue, Int64Value> Measure = new(Service, "Measure", Int64Value.Parser);
    public static readonly Method<Int64Value, Int64Value> Count = new(Service, "Count", Int64Value.Parser);
    public static readonly Method<Int64Value, Int64Value> CountThenAbort = new(Service, "CountThenAbort", Int64Value.Parser);
    public static readonly Method<StringValue, StringValue> StreamUntilCancelled = new(Service, "StreamUntilCancelled", StringValue.Parser);
    public static readonly Method<StringValue, StringValue> Chat = new(Service, "Chat", StringValue.Parser);
    public static readonly Method<BytesValue, Int64Value> MeasureEach = new(Service, "MeasureEach", Int64Value.Parser);

    private readonly ConcurrentDictionary<string, Observation> _observations = new();

    /// <summary>What the handler of the call with this id saw; created on first use by either side.</summary>
    public Observation Observe(string id) => _observations.GetOrAdd(id, _ => new Observation());

    public void Register(GrpcServiceRegistry registry)
    {
        registry.AddUnary(Service, Echo.Name, StringValue.Parser, (request, _) => Task.FromResult(new StringValue { Value = request.Value }));
        registry.AddUnary<StringValue, StringValue>(Service, FailNotFound.Name, StringValue.Parser, (request, _) => throw new RpcException(StatusCode.NotFound, request.Value));
        registry.AddUnary<StringValue, StringValue>(Service, Throw.Name, StringValue.Parser, (request, _) => throw new InvalidOperationException(request.Value));
        registry.AddUnary(Service, WaitForCancellation.Name, StringValue.Parser, async (request, context) =>
        {
            var observation = Observe(request.Value);
            observation.Deadline = context.Deadline;
            observation.Started.TrySetResult();
            try
            {
                await Task.Delay(Timeout.Infinite, context.CancellationToken);
            }
            catch (OperationCanceledException)
            {
                observation.Cancelled.TrySetResult();
                throw;
            }

            return request;
        });
        registry.AddUnary(Service, IgnoreCancellation.Name, StringValue.Parser, async (request, context) =>
        {
            var observation = Observe(request.Value);
            observation.Started.TrySetResult();
            await observation.Release.Task;
            observation.Finished.TrySetResult();
            return request;
        });
        registry.AddUnary(Service, Headers.Name, StringValue.Parser, (request, context) => Task.FromResult(new StringValue
        {
            Value = $"{context.RequestHeaders.Get(request.Value)}|{context.Peer}|{context.Method}|{context.HttpContext.Request.Host}",
        }));
        registry.AddUnary(Service, Nothing.Name, Empty.Parser, (_, _) => Task.FromResult(new Empty()));
        registry.AddUnary(Service, Bytes.Name, Int64Value.Parser, (request, _) => Task.FromResult(new BytesValue { Value = Google.Protobuf.ByteString.CopyFrom(new byte[request.Value]) }));
        registry.AddUnary(Service, Measure.Name, BytesValue.Parser, (request, _) => Task.FromResult(new Int64Value { Value = request.Value.Length }));

        registry.AddServerStreaming<Int64Value, Int64Value>(Service, Count.Name, Int64Value.Parser, async (request, responses, context) =>
        {
            for (var i = 1; i <= request.Value; i++)
            {
                await responses.WriteAsync(new Int64Value { Value = i }, context.CancellationToken);
            }
        });
        registry.AddServerStreaming<Int64Value, Int64Value>(Service, CountThenAbort.Name, Int64Value.Parser, async (request, responses, context) =>
        {
            for (var i = 1; i <= request.Value; i++)
            {
                await responses.WriteAsync(new Int64Value { Value = i });
            }

            throw new RpcException(StatusCode.Aborted, "stopped after " + request.Value);
        });
        registry.AddServerStreaming<StringValue, StringValue>(Service, StreamUntilCancelled.Name, StringValue.Parser, async (request, responses, context) =>
        {
            var observation = Observe(request.Value);
            await responses.WriteAsync(new StringValue { Value = "first" });
            observation.Started.TrySetResult();
            try
            {
                await Task.Delay(Timeout.Infinite, context.CancellationToken);
            }
            catch (OperationCanceledException)
            {
                observation.Cancelled.TrySetResult();
                throw;
            }
        });
        registry.AddDuplexStreaming<StringValue, StringValue>(Service, Chat.Name, StringValue.Parser, async (requests, responses, context) =>
        {
            while (await requests.MoveNext())
            {
                await responses.WriteAsync(new StringValue { Value = "re: " + requests.Current.Value });
            }

            await responses.WriteAsync(new StringValue { Value = "bye" });
        });
        registry.AddDuplexStreaming<BytesValue, Int64Value>(Service, MeasureEach.Name, BytesValue.Parser, async (requests, responses, context) =>
        {
            while (await requests.MoveNext())
            {
                await responses.WriteAsync(new Int64Value { Value = requests.Current.Value.Length });
            }
        });
    }

    public sealed class Observation
    {
        public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Cancelled { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Finished { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public DateTime? Deadline { get; set; }
    }
}
