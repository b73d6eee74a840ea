using System.Diagnostics;
using MiniKube.Etcd.Client.Tests.Infrastructure;
using MiniKube.Testing;

namespace MiniKube.Etcd.Client.Tests;

/// <summary>Connections: multiplexing, failover, what is retried and what is not, deadlines, cancellation.</summary>
public abstract partial class EtcdClientContractTests<TFixture>
{
    [Fact]
    public async Task Concurrent_calls_watches_and_keep_alives_share_one_connection()
    {
        var port = Server.ClientUrl.Port;
        var before = TcpConnections.CountTo(port);
        await using var client = NewClient();
        var p = NewPrefix("multiplex");

        var watchers = Enumerable.Range(0, 3).Select(i => client.Watch(p + i)).ToList();
        var lease = await client.Lease.GrantAsync(30);
        await using var keepAlive = await client.Lease.KeepAliveAsync(lease.ID);
        await Task.WhenAll(Enumerable.Range(0, 90).Select(i => client.PutAsync(p + (i % 3), i.ToString(System.Globalization.CultureInfo.InvariantCulture))));
        await Task.WhenAll(watchers.Select(w => w.Created));

        Assert.Equal(1, TcpConnections.CountTo(port) - before);
        foreach (var watcher in watchers)
        {
            await watcher.DisposeAsync();
        }
    }

    [Fact]
    public async Task When_the_first_endpoint_dies_reads_and_new_writes_go_to_the_next_but_an_ambiguous_write_is_not_resent()
    {
        var first = await fixture.StartAnotherAsync();
        try
        {
            await using var client = NewClient(endpoints: [first.ClientUrl, Server.ClientUrl]);
            await using var second = NewClient();
            var p = NewPrefix("failover");
            await client.PutAsync(p + "where", "first");
            var secondRevision = (await second.PutAsync(p + "where", "second")).Header.Revision;
            Assert.Equal("first", (await client.GetAsync(p + "where")).Kvs[0].Value.ToStringUtf8());
            // The two members are independent stores: start the watch where the second one is, so
            // that after failing over it resumes at a revision the second one has.
            var watcher = client.Watch(p, new WatchOptions { Prefix = true, Revision = secondRevision + 1 });
            await watcher.Created;

            // A put sent to a member that then dies may or may not have been applied: it fails and is not sent again.
            await Stopped.PauseAsync(first.Process);
            var inFlight = client.PutAsync(p + "ambiguous", "x");
            await Task.Delay(200);
            await first.Process.KillAsync();
            var ambiguous = await Assert.ThrowsAsync<EtcdException>(() => inFlight);
            Assert.True(ambiguous.IsUnavailable, ambiguous.Message);

            Assert.Equal("second", (await client.GetAsync(p + "where")).Kvs[0].Value.ToStringUtf8());
            Assert.Equal(Server.ClientUrl.Port, client.PinnedEndpoint.Port);
            Assert.Empty((await second.GetAsync(p + "ambiguous")).Kvs);
            await client.PutAsync(p + "after", "lands on the second");
            Assert.Single((await second.GetAsync(p + "after")).Kvs);

            // The watch moved to the second endpoint by itself.
            var events = await CollectAsync(watcher, e => e.Any(x => x.Kv.Key.ToStringUtf8() == p + "after"));
            Assert.DoesNotContain(events, e => e.Kv.Key.ToStringUtf8() == p + "ambiguous");
        }
        finally
        {
            await first.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_write_that_could_not_connect_is_sent_to_the_next_endpoint()
    {
        var nobody = new Uri($"http://127.0.0.1:{FreePort.Pick()}");
        await using var client = NewClient(endpoints: [nobody, Server.ClientUrl]);
        var key = NewPrefix("refused") + "k";

        var put = await client.PutAsync(key, "v");

        Assert.Equal(put.Header.Revision, (await client.GetAsync(key)).Kvs[0].ModRevision);
        Assert.Equal(Server.ClientUrl.Port, client.PinnedEndpoint.Port);
    }

    [Fact]
    public async Task No_reachable_endpoint_fails_after_the_dial_timeout_naming_the_endpoint()
    {
        var nobody = new Uri($"http://127.0.0.1:{FreePort.Pick()}");
        await using var client = NewClient(dialTimeout: TimeSpan.FromMilliseconds(500), endpoints: [nobody]);
        var clock = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<EtcdException>(() => client.GetAsync("/k"));

        Assert.True(error.IsUnavailable);
        Assert.Contains($"127.0.0.1:{nobody.Port}", error.Message, StringComparison.Ordinal);
        Assert.InRange(clock.Elapsed, TimeSpan.FromMilliseconds(400), TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Deadlines_and_cancellation_end_calls_to_a_member_that_does_not_answer()
    {
        await using var client = NewClient();
        await using var withDefault = NewClient(requestTimeout: TimeSpan.FromMilliseconds(300));
        var key = NewPrefix("deadline") + "k";
        await client.PutAsync(key, "v");
        await withDefault.GetAsync(key);
        await Stopped.PauseAsync(Server.Process);
        try
        {
            var clock = Stopwatch.StartNew();
            var perCall = await Assert.ThrowsAsync<EtcdException>(() => client.GetAsync(key, new GetOptions { Timeout = TimeSpan.FromMilliseconds(300) }));
            var byDefault = await Assert.ThrowsAsync<EtcdException>(() => withDefault.GetAsync(key));
            using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.GetAsync(key, cancellationToken: cts.Token));

            Assert.True(perCall.IsDeadlineExceeded, perCall.Message);
            Assert.Equal(EtcdErrors.DeadlineExceeded, perCall.Message);
            Assert.True(byDefault.IsDeadlineExceeded, byDefault.Message);
            Assert.InRange(clock.Elapsed, TimeSpan.FromMilliseconds(850), TimeSpan.FromSeconds(5));
        }
        finally
        {
            Server.Process.Resume();
        }

        Assert.Single((await client.GetAsync(key)).Kvs);
    }
}
