using System.Security.Cryptography;
using Etcdserverpb;
using Google.Protobuf;
using MiniKube.Grpc;
using MiniKube.Store.Snapshot;

namespace MiniKube.Store.Server.Services;

/// <summary>etcdserverpb.Maintenance: status, hashes, snapshots, defragmentation and alarms.</summary>
public sealed class MaintenanceService(StoreServer server)
{
    public const string ServiceName = "etcdserverpb.Maintenance";

    /// <summary>Bytes per snapshot message, as etcd's snapshotSendBufferSize.</summary>
    public const int SnapshotChunkBytes = 32 * 1024;

    public void Register(StoreServiceRegistry registry)
    {
        registry.AddUnary<StatusRequest, StatusResponse>(ServiceName, "Status", StatusRequest.Parser, StatusAsync);
        registry.AddUnary<HashKVRequest, HashKVResponse>(ServiceName, "HashKV", HashKVRequest.Parser, HashKVAsync);
        registry.AddServerStreaming<SnapshotRequest, SnapshotResponse>(ServiceName, "Snapshot", SnapshotRequest.Parser, SnapshotAsync);
        registry.AddUnary<DefragmentRequest, DefragmentResponse>(ServiceName, "Defragment", DefragmentRequest.Parser, DefragmentAsync);
        registry.AddUnary<AlarmRequest, AlarmResponse>(ServiceName, "Alarm", AlarmRequest.Parser, AlarmAsync);
        registry.AddUnary<MoveLeaderRequest, MoveLeaderResponse>(ServiceName, "MoveLeader", MoveLeaderRequest.Parser, MoveLeaderAsync);
    }

    private Task<StatusResponse> StatusAsync(StatusRequest request, ServerCallContext context)
    {
        var response = new StatusResponse
        {
            Header = server.Header(server.Mvcc.Revision),
            Version = StoreServer.Version,
            DbSize = server.Backend.SizeBytes,
            DbSizeInUse = server.Backend.SizeInUseBytes,
            Leader = server.Raft.Leader,
            RaftIndex = server.Raft.CommitIndex,
            RaftAppliedIndex = server.Raft.AppliedIndex,
            RaftTerm = server.RaftTerm,
        };
        if (server.NoSpaceAlarm)
        {
            response.Errors.Add($"memberID:{server.Identity.MemberId} alarm:NOSPACE ");
        }

        return Task.FromResult(response);
    }

    private Task<HashKVResponse> HashKVAsync(HashKVRequest request, ServerCallContext context)
    {
        try
        {
            var (hash, revision, compacted) = server.Mvcc.HashKV(request.Revision);
            return Task.FromResult(new HashKVResponse { Header = server.Header(revision), Hash = hash, CompactRevision = compacted });
        }
        catch (Mvcc.MvccException e)
        {
            throw EtcdErrors.ToRpc(e);
        }
    }

    /// <summary>
    /// Streams a consistent copy of the store as an etcd 3.4 backend file (bbolt, etcd's buckets:
    /// see <see cref="EtcdSnapshotWriter"/>), then its SHA-256 in the last message, as etcd does;
    /// etcdctl's snapshot status and restore read it as they read etcd's own.
    /// </summary>
    private async Task SnapshotAsync(SnapshotRequest request, IServerStreamWriter<SnapshotResponse> responses, ServerCallContext context)
    {
        var work = Path.Combine(server.Options.ResolvedDataDir, StoreMember.TempDirectoryName, Guid.NewGuid().ToString("N"));
        try
        {
            var archive = Path.Combine(work, "snapshot.db");
            Directory.CreateDirectory(work);
            await Task.Run(() =>
            {
                using var view = server.Backend.OpenView();
                using var output = File.Create(archive);
                EtcdSnapshotWriter.Write(view, server.Identity, server.NoSpaceAlarm, output);
            }, context.CancellationToken).ConfigureAwait(false);

            await using var file = File.OpenRead(archive);
            using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var buffer = new byte[SnapshotChunkBytes];
            var total = file.Length;
            long sent = 0;
            while (sent < total)
            {
                var read = await file.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, context.CancellationToken).ConfigureAwait(false);
                sent += read;
                sha.AppendData(buffer, 0, read);
                await responses.WriteAsync(
                    new SnapshotResponse { Header = server.Header(server.Mvcc.Revision), RemainingBytes = (ulong)(total - sent), Blob = ByteString.CopyFrom(buffer, 0, read) },
                    context.CancellationToken).ConfigureAwait(false);
            }

            await responses.WriteAsync(new SnapshotResponse { Header = server.Header(server.Mvcc.Revision), Blob = ByteString.CopyFrom(sha.GetHashAndReset()) }, context.CancellationToken).ConfigureAwait(false);
        }
        finally
        {
            try
            {
                Directory.Delete(work, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private async Task<DefragmentResponse> DefragmentAsync(DefragmentRequest request, ServerCallContext context)
    {
        await Task.Run(server.Backend.Defragment, context.CancellationToken).ConfigureAwait(false);
        return new DefragmentResponse { Header = server.Header(server.Mvcc.Revision) };
    }

    /// <summary>etcd's maintenanceServer.MoveLeader: only the leader hands its leadership on.</summary>
    private async Task<MoveLeaderResponse> MoveLeaderAsync(MoveLeaderRequest request, ServerCallContext context)
    {
        if (!server.Raft.IsLeader)
        {
            throw EtcdErrors.NotLeader;
        }

        await server.MoveLeaderAsync(request.TargetID, context.CancellationToken).ConfigureAwait(false);
        return new MoveLeaderResponse { Header = server.Header(server.Mvcc.Revision) };
    }

    private Task<AlarmResponse> AlarmAsync(AlarmRequest request, ServerCallContext context)
    {
        var noSpace = request.Alarm is AlarmType.Nospace or AlarmType.None;
        if (request.Action == AlarmRequest.Types.AlarmAction.Deactivate && noSpace)
        {
            server.DisarmNoSpace();
        }

        var response = new AlarmResponse { Header = server.Header(server.Mvcc.Revision) };
        if (server.NoSpaceAlarm)
        {
            response.Alarms.Add(new AlarmMember { MemberID = server.Identity.MemberId, Alarm = AlarmType.Nospace });
        }

        return Task.FromResult(response);
    }
}
