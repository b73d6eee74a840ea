using System.Security.Cryptography;
using Etcdserverpb;
using MiniKube.Etcd.Client.Transport;
using MiniKube.Grpc;

namespace MiniKube.Etcd.Client;

/// <summary>The Maintenance API. Calls that describe one member take that member's endpoint and do not fail over.</summary>
public sealed class MaintenanceClient
{
    private const int Sha256Length = 32;
    private readonly RpcInvoker _invoker;

    internal MaintenanceClient(RpcInvoker invoker) => _invoker = invoker;

    /// <summary>The member's version, database size, leader, Raft term and index, and current revision (in the header).</summary>
    public Task<StatusResponse> StatusAsync(Uri endpoint, CancellationToken cancellationToken = default)
        => _invoker.CallAsync(EtcdMethods.Status, new StatusRequest(), idempotent: true, timeout: null, cancellationToken, _invoker.Pool.Get(endpoint));

    /// <summary>The member's hash of every key-value version up to <paramref name="revision"/> (0: the latest), and its compaction revision.</summary>
    public Task<HashKVResponse> HashKVAsync(Uri endpoint, long revision = 0, CancellationToken cancellationToken = default)
        => _invoker.CallAsync(EtcdMethods.HashKV, new HashKVRequest { Revision = revision }, idempotent: true, timeout: null, cancellationToken, _invoker.Pool.Get(endpoint));

    public Task<DefragmentResponse> DefragmentAsync(Uri endpoint, CancellationToken cancellationToken = default)
        => _invoker.CallAsync(EtcdMethods.Defragment, new DefragmentRequest(), idempotent: false, timeout: null, cancellationToken, _invoker.Pool.Get(endpoint));

    /// <summary>The cluster's active alarms.</summary>
    public Task<AlarmResponse> AlarmListAsync(CancellationToken cancellationToken = default)
        => _invoker.CallAsync(EtcdMethods.Alarm, new AlarmRequest { Action = AlarmRequest.Types.AlarmAction.Get }, idempotent: true, timeout: null, cancellationToken);

    /// <summary>Clears an alarm (a member ID of 0 and alarm None: every alarm).</summary>
    public Task<AlarmResponse> AlarmDisarmAsync(AlarmMember alarm, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(alarm);
        var request = new AlarmRequest { Action = AlarmRequest.Types.AlarmAction.Deactivate, MemberID = alarm.MemberID, Alarm = alarm.Alarm };
        return _invoker.CallAsync(EtcdMethods.Alarm, request, idempotent: false, timeout: null, cancellationToken);
    }

    /// <summary>
    /// Streams a snapshot of the member's database into <paramref name="destination"/>, as etcd
    /// sends it: the data followed by its SHA-256 (so the file is what etcdctl snapshot save
    /// writes). The checksum is verified; a mismatch throws an <see cref="EtcdException"/> with
    /// DataLoss. No deadline applies: snapshots of large stores take long.
    /// </summary>
    public async Task<SnapshotInfo> SnapshotAsync(Stream destination, Uri? endpoint = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(destination);
        var member = endpoint is null ? _invoker.Pool.Pinned : _invoker.Pool.Get(endpoint);
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using var call = member.Channel.ServerStreaming(EtcdMethods.Snapshot, new SnapshotRequest(), new CallOptions(CancellationToken: cancellationToken));

        // The last 32 bytes seen so far: everything before them is data and goes into the hash.
        var tail = new byte[Sha256Length];
        var tailLength = 0;
        long size = 0;
        try
        {
            while (await call.ResponseStream.MoveNext(cancellationToken).ConfigureAwait(false))
            {
                var blob = call.ResponseStream.Current.Blob.Memory;
                await destination.WriteAsync(blob, cancellationToken).ConfigureAwait(false);
                size += blob.Length;
                tailLength = Slide(sha, tail, tailLength, blob.Span);
            }
        }
        catch (RpcException e) when (cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException(e.Message, e, cancellationToken);
        }
        catch (RpcException e)
        {
            throw EtcdException.FromRpc(e, member.Address);
        }

        var digest = sha.GetHashAndReset();
        if (tailLength < Sha256Length || !digest.AsSpan().SequenceEqual(tail))
        {
            throw new EtcdException(StatusCode.DataLoss, "etcdclient: snapshot sha256 mismatch: the snapshot is corrupt or incomplete", member.Address);
        }

        return new SnapshotInfo(size, Convert.ToHexStringLower(digest));
    }

    /// <summary>Appends <paramref name="data"/> to the window of the last 32 bytes, hashing what falls out of it.</summary>
    private static int Slide(IncrementalHash sha, byte[] tail, int tailLength, ReadOnlySpan<byte> data)
    {
        if (tailLength + data.Length <= Sha256Length)
        {
            data.CopyTo(tail.AsSpan(tailLength));
            return tailLength + data.Length;
        }

        var leaving = tailLength + data.Length - Sha256Length;
        var fromTail = Math.Min(leaving, tailLength);
        sha.AppendData(tail.AsSpan(0, fromTail));
        sha.AppendData(data[..(leaving - fromTail)]);

        Span<byte> window = stackalloc byte[Sha256Length];
        var kept = tailLength - fromTail;
        tail.AsSpan(fromTail, kept).CopyTo(window);
        data[(leaving - fromTail)..].CopyTo(window[kept..]);
        window.CopyTo(tail);
        return Sha256Length;
    }
}
