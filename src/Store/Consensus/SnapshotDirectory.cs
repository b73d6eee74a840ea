namespace MiniKube.Store.Consensus;

/// <summary>
/// Databases received from a leader, kept under the data directory until the state machine has
/// restored from them: <c>snap/%016x.snap.db</c> by Raft index, as etcd names them.
/// </summary>
public sealed class SnapshotDirectory
{
    public SnapshotDirectory(string path)
    {
        Path = path;
        Directory.CreateDirectory(path);
    }

    public string Path { get; }

    /// <summary>The conventional place under a member's data directory.</summary>
    public static SnapshotDirectory InDataDirectory(string dataDirectory) => new(System.IO.Path.Combine(dataDirectory, "snap"));

    public string PathFor(ulong index) => System.IO.Path.Combine(Path, $"{index:x16}.snap.db");

    /// <summary>
    /// Copies <paramref name="database"/> to the file for <paramref name="index"/>, fsynced, and
    /// only then gives it its name, so a file under that name is always whole.
    /// </summary>
    public async Task<long> SaveAsync(ulong index, Stream database, CancellationToken cancellationToken)
    {
        var target = PathFor(index);
        var partial = target + ".part";
        long length;
        await using (var file = new FileStream(partial, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous))
        {
            await database.CopyToAsync(file, 1 << 16, cancellationToken);
            length = file.Length;
            file.Flush(flushToDisk: true);
        }

        File.Move(partial, target, overwrite: true);
        return length;
    }

    /// <summary>Deletes the databases older than <paramref name="index"/>, once one at it has been restored.</summary>
    public void PruneBefore(ulong index)
    {
        foreach (var file in Directory.EnumerateFiles(Path, "*.snap.db*"))
        {
            var name = System.IO.Path.GetFileName(file);
            if (ulong.TryParse(name.AsSpan(0, Math.Min(16, name.Length)), System.Globalization.NumberStyles.AllowHexSpecifier, null, out var fileIndex) && fileIndex < index)
            {
                File.Delete(file);
            }
        }
    }
}
