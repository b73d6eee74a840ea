using System.CommandLine;
using System.Globalization;
using MiniKube.Cli.Etcd.Output;
using MiniKube.Etcd.Client;
using MiniKube.Store.Snapshot;

namespace MiniKube.Cli.Etcd;

/// <summary>
/// <c>mkctl etcd snapshot save|status|restore</c>: the Kubernetes docs' backup and disaster
/// recovery, with etcdctl 3.4's flags, defaults and messages. Files are etcd snapshots either way:
/// etcdctl reads what <c>save</c> writes, and <c>restore</c> takes MiniKube's and etcd's.
/// </summary>
public static class SnapshotCommand
{
    public static Command Create(EtcdGlobalOptions global)
    {
        var command = new Command("snapshot", "Manages etcd node snapshots.");
        command.Subcommands.Add(Save(global));
        command.Subcommands.Add(Status(global));
        command.Subcommands.Add(Restore());
        return command;
    }

    private static Command Save(EtcdGlobalOptions global)
    {
        var file = new Argument<string>("filename") { Description = "Where to write the snapshot." };
        var command = new Command("save", "Stores an etcd node backend snapshot to a given file.") { file };
        command.SetAction((parse, cancellationToken) => EtcdSession.RunAsync(parse, global, async (session, ct) =>
        {
            var path = parse.GetValue(file)!;
            if (session.Client.Endpoints.Count != 1)
            {
                // Each member's database differs in layout; a snapshot is one member's.
                throw new InvalidInputException($"snapshot must be requested to one selected node, not multiple [{string.Join(" ", session.Client.Endpoints.Select(e => e.GetLeftPart(UriPartial.Authority)))}]");
            }

            // As etcdctl: into a .part file, renamed once whole, so a failed save leaves no snapshot.
            var partial = path + ".part";
            try
            {
                SnapshotInfo info;
                await using (var output = new FileStream(partial, FileMode.Create, FileAccess.Write, FileShare.None))
                {
                    info = await session.Client.Maintenance.SnapshotAsync(output, cancellationToken: ct).ConfigureAwait(false);
                    await output.FlushAsync(ct).ConfigureAwait(false);
                    output.Flush(flushToDisk: true);
                }

                File.Move(partial, path, overwrite: true);
                await session.Output.WriteLineAsync($"Snapshot saved at {path} ({StatusCommand.Bytes(info.Size)}, sha256 {info.Sha256})").ConfigureAwait(false);
                return 0;
            }
            catch
            {
                File.Delete(partial);
                throw;
            }
        }, cancellationToken));
        return command;
    }

    private static Command Status(EtcdGlobalOptions global)
    {
        var file = new Argument<string>("filename") { Description = "The snapshot file." };
        var command = new Command("status", "Gets backend snapshot status of a given file (hash, revision, total keys, total size).") { file };
        command.SetAction((parse, cancellationToken) => RunLocalAsync(parse, async (output, _) =>
        {
            var format = global.GetOutput(parse) ?? OutputFormat.Readable;
            // etcdctl's status opens the file with bbolt whatever follows it: the hash is not checked.
            var bolt = BoltFileReader.Open(ReadWithoutHash(parse.GetValue(file)!));
            bolt.Check();
            var status = EtcdSnapshotReader.Status(bolt);
            var hash = status.Hash.ToString("x", CultureInfo.InvariantCulture);
            switch (format)
            {
                case OutputFormat.Json:
                    await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{{\"hash\":{status.Hash},\"revision\":{status.Revision},\"totalKey\":{status.TotalKeys},\"totalSize\":{status.TotalSize}}}")).ConfigureAwait(false);
                    break;
                case OutputFormat.Table:
                    var table = new TextTable("HASH", "REVISION", "TOTAL KEYS", "TOTAL SIZE") { AlignRight = true };
                    table.Add(hash, Number(status.Revision), Number(status.TotalKeys), StatusCommand.Bytes(status.TotalSize));
                    await output.WriteLineAsync(table.ToString()).ConfigureAwait(false);
                    break;
                case OutputFormat.Simple:
                    await output.WriteLineAsync($"{hash}, {status.Revision}, {status.TotalKeys}, {StatusCommand.Bytes(status.TotalSize)}").ConfigureAwait(false);
                    break;
                default:
                    await output.WriteLineAsync($"hash        {hash}").ConfigureAwait(false);
                    await output.WriteLineAsync($"revision    {status.Revision}").ConfigureAwait(false);
                    await output.WriteLineAsync($"total keys  {status.TotalKeys} (in all buckets)").ConfigureAwait(false);
                    await output.WriteLineAsync($"total size  {StatusCommand.Bytes(status.TotalSize)}").ConfigureAwait(false);
                    break;
            }

            return 0;
        }, cancellationToken));
        return command;
    }

    private static Command Restore()
    {
        var defaults = new SnapshotRestoreOptions { SnapshotPath = "" };
        var file = new Argument<string>("filename") { Description = "The snapshot file." };
        var dataDir = new Option<string?>("--data-dir") { Description = "Path to the data directory (default: <name>.etcd)." };
        var name = new Option<string>("--name") { Description = "Human-readable name for this member.", DefaultValueFactory = _ => defaults.Name };
        var initialCluster = new Option<string>("--initial-cluster") { Description = "Initial cluster configuration for restore bootstrap.", DefaultValueFactory = _ => defaults.InitialCluster };
        var token = new Option<string>("--initial-cluster-token") { Description = "Initial cluster token for the etcd cluster during restore bootstrap.", DefaultValueFactory = _ => defaults.InitialClusterToken };
        var peerUrls = new Option<string>("--initial-advertise-peer-urls") { Description = "List of this member's peer URLs to advertise to the rest of the cluster.", DefaultValueFactory = _ => "http://localhost:2380" };
        var skipHashCheck = new Option<bool>("--skip-hash-check") { Description = "Ignore snapshot integrity hash value (required if copied from data directory)." };
        var command = new Command("restore", "Restores an etcd member snapshot to an etcd directory.") { file, dataDir, name, initialCluster, token, peerUrls, skipHashCheck };
        command.SetAction((parse, cancellationToken) => RunLocalAsync(parse, async (output, _) =>
        {
            var options = new SnapshotRestoreOptions
            {
                SnapshotPath = parse.GetValue(file)!,
                DataDir = parse.GetValue(dataDir),
                Name = parse.GetValue(name)!,
                InitialCluster = parse.GetValue(initialCluster)!,
                InitialClusterToken = parse.GetValue(token)!,
                InitialAdvertisePeerUrls = [.. parse.GetValue(peerUrls)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                    .Select(u => SnapshotRestore.ParsePeerUrl(u, "--initial-advertise-peer-urls"))],
                SkipHashCheck = parse.GetValue(skipHashCheck),
            };
            var result = SnapshotRestore.Run(options);
            var data = result.Data;
            var member = result.Member;
            await output.WriteLineAsync($"restored snapshot {options.SnapshotPath} into {result.DataDir}").ConfigureAwait(false);
            await output.WriteLineAsync($"  snapshot  hash {result.Status.Hash:x}, revision {result.Status.Revision}, {result.Status.TotalKeys} keys in all buckets, {StatusCommand.Bytes(result.Status.TotalSize)}").ConfigureAwait(false);
            await output.WriteLineAsync($"  data      revision {data.Revision}, {(data.CompactRevision > 0 ? $"compacted at {data.CompactRevision}" : "never compacted")}, {data.Keys} keys, {data.Versions} versions, {data.Leases} leases").ConfigureAwait(false);
            await output.WriteLineAsync($"  member    {member.Name} {KeyValuePrinter.MemberId(member.Id)} (peer URLs {string.Join(",", member.PeerUrls.Select(u => u.OriginalString))}), a new identity").ConfigureAwait(false);
            await output.WriteLineAsync($"  cluster   {KeyValuePrinter.MemberId(result.ClusterId)} of {result.Members.Count} member(s): {string.Join(", ", result.Members.Select(m => $"{m.Name} {KeyValuePrinter.MemberId(m.Id)}"))}; token {options.InitialClusterToken}").ConfigureAwait(false);
            var advertised = string.Join(",", member.PeerUrls.Select(u => u.OriginalString));
            // A member finds its peers in --initial-cluster at every start, so a member of a
            // restored multi-member cluster started without it would wait for votes forever.
            var peers = result.Members.Count > 1
                ? $" --listen-peer-urls {advertised} --initial-cluster {options.InitialCluster} --initial-cluster-token {options.InitialClusterToken}"
                : "";
            await output.WriteLineAsync($"start it with: ./mkctl store --name {member.Name} --data-dir {result.DataDir} --initial-advertise-peer-urls {advertised}{peers}").ConfigureAwait(false);
            return 0;
        }, cancellationToken));
        return command;
    }

    /// <summary>Runs a command that needs no server; every failure is etcdctl's "Error: …" and exit 1.</summary>
    private static async Task<int> RunLocalAsync(ParseResult parse, Func<TextWriter, CancellationToken, Task<int>> body, CancellationToken cancellationToken)
    {
        var error = parse.InvocationConfiguration.Error;
        try
        {
            return await body(parse.InvocationConfiguration.Output, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            await error.WriteLineAsync($"Error: open {parse.GetValue<string>("filename")}: no such file or directory").ConfigureAwait(false);
            return EtcdSession.ExitError;
        }
        catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException or InvalidOperationException or ArgumentException)
        {
            await error.WriteLineAsync($"Error: {e.Message}").ConfigureAwait(false);
            return EtcdSession.ExitError;
        }
    }

    private static byte[] ReadWithoutHash(string path)
    {
        var file = File.ReadAllBytes(path);
        return EtcdSnapshotFile.HasHash(file.Length) ? file[..^EtcdSnapshotFile.HashLength] : file;
    }

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);
}
