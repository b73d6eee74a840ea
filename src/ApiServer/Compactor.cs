using Google.Protobuf;
using MiniKube.Etcd.Client;

namespace MiniKube.ApiServer;

/// <summary>
/// Kubernetes' periodic compaction (apiserver/pkg/storage/etcd3/compact.go): every interval, the
/// apiserver that wins a compare-and-swap on the <c>compact_rev_key</c> key compacts the store to
/// the revision it saw one interval earlier, so watchers always keep at least one interval of history.
/// </summary>
public static class Compactor
{
    public const string CompactRevisionKey = "compact_rev_key";

    public static async Task RunAsync(EtcdClient client, TimeSpan interval, TimeProvider clock, ILogger logger, CancellationToken cancellationToken)
    {
        if (interval <= TimeSpan.Zero)
        {
            return;
        }

        long compactTime = 0;
        long revision = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            await Task.Delay(interval, clock, cancellationToken).ConfigureAwait(false);
            try
            {
                (compactTime, revision) = await CompactAsync(client, compactTime, revision, cancellationToken).ConfigureAwait(false);
            }
            catch (EtcdException e)
            {
                logger.LogWarning("compaction failed: {Error}", e.Message);
            }
        }
    }

    /// <summary>
    /// One round: claims the round by bumping compact_rev_key's version from <paramref name="expectedVersion"/>;
    /// the winner compacts to <paramref name="revision"/> (the revision seen last round). Returns the
    /// key's version and the store's revision for the next round.
    /// </summary>
    public static async Task<(long Version, long Revision)> CompactAsync(EtcdClient client, long expectedVersion, long revision, CancellationToken cancellationToken)
    {
        var key = ByteString.CopyFromUtf8(CompactRevisionKey);
        var response = await client.Txn()
            .If(Cmp.Version(key).Equal(expectedVersion))
            .Then(Op.Put(key, ByteString.CopyFromUtf8(revision.ToString(System.Globalization.CultureInfo.InvariantCulture))))
            .Else(Op.Get(key))
            .CommitAsync(cancellationToken).ConfigureAwait(false);
        var current = response.Header.Revision;
        if (!response.Succeeded)
        {
            var kvs = response.Responses[0].ResponseRange.Kvs;
            return (kvs.Count > 0 ? kvs[0].Version : 0, current);
        }

        if (revision > 0)
        {
            try
            {
                await client.CompactAsync(revision, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            catch (EtcdException e) when (e.IsCompacted)
            {
                // Someone compacted further already.
            }
        }

        return (expectedVersion + 1, current);
    }
}
