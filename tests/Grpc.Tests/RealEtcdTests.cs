using Etcdserverpb;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using MiniKube.Grpc.Tests.Infrastructure;

namespace MiniKube.Grpc.Tests;

/// <summary>Our client against a real etcd 3.4, whose gRPC server is grpc-go's.</summary>
public sealed class RealEtcdTests(EtcdFixture etcd) : IClassFixture<EtcdFixture>
{
    private static ByteString Utf8(string text) => ByteString.CopyFromUtf8(text);

    [Fact]
    public async Task Put_then_Range_returns_the_value()
    {
        var key = Utf8("/registry/pods/" + Guid.NewGuid());

        var put = await etcd.Channel.UnaryAsync(EtcdFixture.Put, new PutRequest { Key = key, Value = Utf8("v1") });
        var range = await etcd.Channel.UnaryAsync(EtcdFixture.Range, new RangeRequest { Key = key });

        Assert.True(put.Header.Revision > 0);
        Assert.Equal("v1", Assert.Single(range.Kvs).Value.ToStringUtf8());
        Assert.Equal(put.Header.Revision, range.Kvs[0].ModRevision);
    }

    [Fact]
    public async Task Many_concurrent_calls_multiplex_on_one_channel()
    {
        var prefix = "/c/" + Guid.NewGuid() + "/";

        await Task.WhenAll(Enumerable.Range(0, 200).Select(i => etcd.Channel.UnaryAsync(EtcdFixture.Put, new PutRequest { Key = Utf8(prefix + i), Value = Utf8(i.ToString(System.Globalization.CultureInfo.InvariantCulture)) })));
        var range = await etcd.Channel.UnaryAsync(EtcdFixture.Range, new RangeRequest { Key = Utf8(prefix), RangeEnd = Utf8(prefix[..^1] + "0"), CountOnly = true });

        Assert.Equal(200, range.Count);
    }

    [Fact]
    public async Task A_watch_stream_receives_the_event_of_a_put()
    {
        var key = Utf8("/watched/" + Guid.NewGuid());
        using var watch = etcd.Channel.DuplexStreaming(EtcdFixture.Watch, new CallOptions(Deadline: DateTime.UtcNow.AddSeconds(20)));

        await watch.RequestStream.WriteAsync(new WatchRequest { CreateRequest = new WatchCreateRequest { Key = key } });
        Assert.True(await watch.ResponseStream.MoveNext());
        Assert.True(watch.ResponseStream.Current.Created);
        await etcd.Channel.UnaryAsync(EtcdFixture.Put, new PutRequest { Key = key, Value = Utf8("hello") });
        Assert.True(await watch.ResponseStream.MoveNext());

        var change = Assert.Single(watch.ResponseStream.Current.Events);
        Assert.Equal(Mvccpb.Event.Types.EventType.Put, change.Type);
        Assert.Equal("hello", change.Kv.Value.ToStringUtf8());
    }

    [Fact]
    public async Task Etcd_errors_arrive_as_RpcException_with_etcds_detail()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => etcd.Channel.UnaryAsync(EtcdFixture.Put, new PutRequest { Value = Utf8("no key") }));

        Assert.Equal(new Status(StatusCode.InvalidArgument, "etcdserver: key is not provided"), error.Status);
    }

    [Fact]
    public async Task A_snapshot_streams_from_the_server_until_OK()
    {
        using var snapshot = etcd.Channel.ServerStreaming(EtcdFixture.Snapshot, new SnapshotRequest());
        long bytes = 0;
        SnapshotResponse? last = null;

        while (await snapshot.ResponseStream.MoveNext())
        {
            last = snapshot.ResponseStream.Current;
            bytes += last.Blob.Length;
        }

        Assert.True(bytes > 0);
        Assert.Equal(0UL, last!.RemainingBytes);
        Assert.Equal(StatusCode.OK, snapshot.GetStatus().StatusCode);
    }

    [Fact]
    public async Task A_deadline_ends_a_watch_that_sees_no_events()
    {
        // Long enough for a cold duplex call to be set up on a slow machine before it runs out.
        using var watch = etcd.Channel.DuplexStreaming(EtcdFixture.Watch, new CallOptions(Deadline: DateTime.UtcNow.AddSeconds(2)));
        await watch.RequestStream.WriteAsync(new WatchRequest { CreateRequest = new WatchCreateRequest { Key = Utf8("/quiet/" + Guid.NewGuid()) } });
        Assert.True(await watch.ResponseStream.MoveNext());

        var error = await Assert.ThrowsAsync<RpcException>(() => watch.ResponseStream.MoveNext());

        // The server learns the same deadline from grpc-timeout and may end the call first: etcd
        // 3.4's grpc-go then reports its handler's context error as Unknown. Either way the
        // deadline, and nothing else, ended the watch.
        Assert.True(
            error.StatusCode == StatusCode.DeadlineExceeded || error.Status == new Status(StatusCode.Unknown, "context deadline exceeded"),
            error.Status.ToString());
    }

    /// <summary>The same unknown-method calls against etcd (grpc-go) and our server must read the same.</summary>
    [Theory]
    [InlineData("etcdserverpb.KV", "Nope", "unknown method Nope for service etcdserverpb.KV")]
    [InlineData("etcdserverpb.Nope", "Range", "unknown service etcdserverpb.Nope")]
    public async Task Unknown_methods_read_the_same_from_etcd_and_from_our_server(string service, string method, string detail)
    {
        var unknown = new Method<Empty, Empty>(service, method, Empty.Parser);
        await using var ours = await TestServer.StartGrpcAsync(registry => registry.AddUnary("etcdserverpb.KV", "Range", RangeRequest.Parser, (_, _) => Task.FromResult(new RangeResponse())));
        using var oursChannel = GrpcChannel.ForAddress(ours.Address);

        foreach (var channel in new[] { etcd.Channel, oursChannel })
        {
            var error = await Assert.ThrowsAsync<RpcException>(() => channel.UnaryAsync(unknown, new Empty()));
            Assert.Equal(new Status(StatusCode.Unimplemented, detail), error.Status);
        }
    }
}
