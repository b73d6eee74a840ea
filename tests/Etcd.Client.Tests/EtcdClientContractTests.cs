using Google.Protobuf;
using MiniKube.Etcd.Client.Tests.Infrastructure;
using MiniKube.Testing;
using Mvccpb;

namespace MiniKube.Etcd.Client.Tests;

/// <summary>
/// The client's contract, run against every kind of server (see the subclasses): one server per
/// class, started by the fixture. Tests run one at a time within a class, so a test may pause,
/// kill or restart the server as long as it leaves it serving; each test uses keys of its own.
/// </summary>
public abstract partial class EtcdClientContractTests<TFixture>(TFixture fixture) : IClassFixture<TFixture>
    where TFixture : ServerFixture
{
    protected IEtcdServer Server => fixture.Server;

    protected EtcdClient NewClient(TimeSpan? requestTimeout = null, TimeSpan? dialTimeout = null, params Uri[] endpoints) => new(new EtcdClientOptions
    {
        Endpoints = endpoints.Length > 0 ? endpoints : [Server.ClientUrl],
        DefaultRequestTimeout = requestTimeout,
        DialTimeout = dialTimeout ?? TimeSpan.FromSeconds(5),
        MaxRetryBackoff = TimeSpan.FromMilliseconds(200),
    });

    /// <summary>A key prefix no other test (or run) uses.</summary>
    protected static string NewPrefix(string name) => $"/{name}/{Guid.NewGuid():N}/";

    protected static ByteString Utf8(string text) => ByteString.CopyFromUtf8(text);

    /// <summary>Reads a watch until <paramref name="done"/> holds for the events so far, then cancels it.</summary>
    protected static async Task<List<Event>> CollectAsync(Watcher watcher, Func<List<Event>, bool> done, TimeSpan? timeout = null)
    {
        var events = new List<Event>();
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(15));
        try
        {
            await foreach (var update in watcher.WithCancellation(cts.Token))
            {
                events.AddRange(update.Events);
                if (done(events))
                {
                    break;
                }
            }
        }
        catch (OperationCanceledException) when (cts.IsCancellationRequested)
        {
            Assert.Fail($"the watch did not deliver what was expected in time; it delivered:\n{Describe(events)}");
        }

        return events;
    }

    protected static string Describe(IEnumerable<Event> events)
        => string.Join('\n', events.Select(e => $"{e.Kv.ModRevision} {e.Type} {e.Kv.Key.ToStringUtf8()}={e.Kv.Value.ToStringUtf8()}"));

    protected static async Task EventuallyAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"timed out after {timeout} waiting for {what}");
            }

            await Task.Delay(100);
        }
    }
}
