using MiniKube.Grpc;

namespace MiniKube.Store.Integration.Tests.Infrastructure;

/// <summary>Assertions on the errors servers answer with.</summary>
public static class Expect
{
    /// <summary>Asserts that <paramref name="call"/> fails with exactly this status: etcd's clients match on both.</summary>
    public static async Task<RpcException> RpcErrorAsync(StatusCode code, string detail, Func<Task> call)
    {
        var error = await Assert.ThrowsAsync<RpcException>(call);
        Assert.Equal(new Status(code, detail), error.Status);
        return error;
    }

    /// <summary>Polls <paramref name="condition"/> until it holds; fails the test after <paramref name="timeout"/>.</summary>
    public static async Task EventuallyAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var giveUp = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < giveUp, $"timed out after {timeout} waiting for {what}");
            await Task.Delay(100);
        }
    }
}
