namespace MiniKube.Etcd.Client;

/// <summary>A snapshot that was saved: its size in bytes (the trailing checksum included) and its verified SHA-256, in hex.</summary>
public sealed record SnapshotInfo(long Size, string Sha256);
