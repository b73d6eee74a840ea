using System.Security.Cryptography;

namespace MiniKube.Store.Snapshot;

/// <summary>
/// A snapshot file as <c>etcdctl snapshot save</c> writes it: the bbolt database followed by its
/// SHA-256. Integrity is checked as etcdctl 3.4's restore checks it (v3_snapshot.go, saveDB):
/// the hash is present when the size modulo 512 is 32 (bbolt files are whole pages), and must
/// match unless the check is skipped, with etcdctl's messages.
/// </summary>
public static class EtcdSnapshotFile
{
    public const int HashLength = 32;

    /// <summary>Whether a file of <paramref name="size"/> bytes ends in a hash, by etcdctl's rule.</summary>
    public static bool HasHash(long size) => size % 512 == HashLength;

    /// <summary>
    /// The database in <paramref name="path"/>, its hash checked (unless <paramref name="skipHashCheck"/>)
    /// and cut off. Throws <see cref="InvalidDataException"/> when the hash is missing or wrong.
    /// </summary>
    public static byte[] ReadDatabase(string path, bool skipHashCheck)
    {
        var file = File.ReadAllBytes(path);
        var hasHash = HasHash(file.Length);
        if (!hasHash && !skipHashCheck)
        {
            throw new InvalidDataException("snapshot missing hash but --skip-hash-check=false");
        }

        if (!hasHash)
        {
            return file;
        }

        var database = file[..^HashLength];
        if (!skipHashCheck)
        {
            var stored = file.AsSpan(file.Length - HashLength);
            var computed = SHA256.HashData(database);
            if (!stored.SequenceEqual(computed))
            {
                throw new InvalidDataException($"expected sha256 {GoBytes(stored)}, got {GoBytes(computed)}");
            }
        }

        return database;
    }

    /// <summary>A byte slice as Go's %v prints it: [1 2 3].</summary>
    private static string GoBytes(ReadOnlySpan<byte> bytes) => "[" + string.Join(' ', bytes.ToArray()) + "]";
}
