using System.Collections.Concurrent;
using MiniKube.Grpc;
using MiniKube.Store.Integration.Tests.Infrastructure;

namespace MiniKube.Store.Integration.Tests.Crash;

/// <summary>One write of the workload: a put of one key, or a txn putting two; every key is written once.</summary>
public sealed record CrashWrite(string Id, string[] Keys);

/// <summary>
/// Concurrent writers of unique keys, each recording which of its writes were acknowledged and at
/// what revision, until told to stop or until the server goes away.
/// </summary>
public sealed class CrashWorkload(EtcdApi api, string prefix, int writers, int seed)
{
    private readonly ConcurrentDictionary<string, CrashWrite> _attempted = new();
    private volatile bool _stopping;

    /// <summary>Write ID → revision, for every write the server acknowledged.</summary>
    public ConcurrentDictionary<string, long> Acknowledged { get; } = new();

    public IReadOnlyDictionary<string, CrashWrite> Attempted => _attempted;

    /// <summary>Runs the writers until <see cref="Stop"/>; each stops at its first failed call.</summary>
    public Task RunAsync() => Task.WhenAll(Enumerable.Range(0, writers).Select(w => Task.Run(() => WriteAsync(w))));

    public void Stop() => _stopping = true;

    private async Task WriteAsync(int writer)
    {
        var random = new Random(HashCode.Combine(seed, writer));
        for (var i = 0; !_stopping; i++)
        {
            var id = $"w{writer:00}/{i:00000}";
            var isTxn = random.Next(2) == 0;
            var write = new CrashWrite(id, isTxn ? [$"{prefix}{id}/a", $"{prefix}{id}/b"] : [$"{prefix}{id}"]);
            _attempted[id] = write;
            try
            {
                var revision = isTxn
                    ? (await api.TxnAsync(Op.Txn([], [Op.Put(write.Keys[0], id), Op.Put(write.Keys[1], id)]))).Header.Revision
                    : (await api.PutAsync(write.Keys[0], id)).Header.Revision;
                Acknowledged[id] = revision;
            }
            catch (RpcException)
            {
                return; // the server is gone: whether this write survived is for the check to see
            }
        }
    }
}
