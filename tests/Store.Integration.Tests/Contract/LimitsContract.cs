using System.Runtime.CompilerServices;
using Etcdserverpb;
using Google.Protobuf;
using MiniKube.Grpc;
using MiniKube.Store.Integration.Tests.Infrastructure;
using static MiniKube.Store.Integration.Tests.Infrastructure.Bytes;

namespace MiniKube.Store.Integration.Tests.Contract;

/// <summary>
/// Size limits as etcd 3.4 enforces them with its defaults: writes over --max-request-bytes
/// (1.5 MiB) are refused by etcd; messages over that plus 512 KiB by gRPC itself.
/// </summary>
public abstract class LimitsContract(ServerFixture server)
{
    private const string TooLarge = "etcdserver: request is too large";
    private const string GrpcTooLarge = "grpc: received message larger than max (";

    private EtcdApi Api => server.Api;

    private static string Prefix([CallerMemberName] string test = "") => UniquePrefix("limits/" + test);

    private static ByteString Filler(int size) => ByteString.CopyFrom(new byte[size]);

    [Fact]
    public async Task A_write_just_under_the_request_limit_is_stored_and_read_back_whole()
    {
        var key = Prefix() + "k";
        var value = ByteString.CopyFrom([.. Enumerable.Range(0, 1_500_000).Select(i => (byte)i)]);

        await Api.PutAsync(new PutRequest { Key = B(key), Value = value });

        Assert.Equal(value, Assert.Single((await Api.GetAsync(key)).Kvs).Value);
    }

    public static TheoryData<string> TooLargeWrites => ["put", "txn", "delete"];

    [Theory]
    [MemberData(nameof(TooLargeWrites))]
    public async Task A_write_over_the_request_limit_is_InvalidArgument_request_too_large(string kind)
    {
        var p = Prefix() + kind + "/";
        var before = await Api.RevisionAsync();

        Task Write() => kind switch
        {
            "put" => Api.PutAsync(new PutRequest { Key = B(p + "k"), Value = Filler(1_600_000) }),
            "txn" => Api.TxnAsync(Op.Txn([], [Op.Put(new PutRequest { Key = B(p + "a"), Value = Filler(800_000) }), Op.Put(new PutRequest { Key = B(p + "b"), Value = Filler(800_000) })])),
            _ => Api.DeleteAsync(new DeleteRangeRequest { Key = ByteString.CopyFrom([.. B(p), .. new byte[1_600_000]]) }),
        };

        await Expect.RpcErrorAsync(StatusCode.InvalidArgument, TooLarge, Write);
        Assert.Equal(before, await Api.RevisionAsync());
    }

    [Fact]
    public async Task Reads_are_not_proposed_so_a_large_range_request_is_answered()
    {
        var key = ByteString.CopyFrom([.. B(Prefix()), .. new byte[1_600_000]]);

        var range = await Api.RangeAsync(new RangeRequest { Key = key });
        var txn = await Api.TxnAsync(Op.Txn([], [Op.Get(new RangeRequest { Key = key })]));

        Assert.Equal(0, range.Count);
        Assert.Empty(txn.Responses[0].ResponseRange.Kvs);
    }

    public static TheoryData<string> OversizedMessages => ["put", "range"];

    [Theory]
    [MemberData(nameof(OversizedMessages))]
    public async Task A_message_over_the_grpc_limit_is_ResourceExhausted_and_the_server_keeps_serving(string kind)
    {
        var p = Prefix() + kind + "/";

        Task Call() => kind == "put"
            ? Api.PutAsync(new PutRequest { Key = B(p + "k"), Value = Filler(2_200_000) })
            : Api.RangeAsync(new RangeRequest { Key = ByteString.CopyFrom([.. B(p), .. new byte[2_200_000]]) });

        var error = await Assert.ThrowsAsync<RpcException>(Call);

        // The limits in the message differ by a few bytes between implementations; the code and wording do not.
        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
        Assert.StartsWith(GrpcTooLarge, error.Status.Detail, StringComparison.Ordinal);
        Assert.Empty((await Api.GetPrefixAsync(p)).Kvs);
        await Api.PutAsync(p + "after", "ok");
    }
}

public sealed class LimitsContractOnMiniKube(MiniKubeFixture server) : LimitsContract(server), IClassFixture<MiniKubeFixture>;

public sealed class LimitsContractOnEtcd(EtcdFixture server) : LimitsContract(server), IClassFixture<EtcdFixture>;
