using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace MiniKube.RocksDb;

/// <summary>
/// An error reported by RocksDB. The message is RocksDB's own status text, such as
/// <c>"IO error: While lock file: /data/LOCK: Resource temporarily unavailable"</c> or
/// <c>"Invalid argument: Column families not opened: events"</c>.
/// </summary>
public sealed class RocksDbException : Exception
{
    public RocksDbException() { }

    public RocksDbException(string message) : base(message) { }

    public RocksDbException(string message, Exception innerException) : base(message, innerException) { }

    /// <summary>
    /// Throws if a C API call reported an error through its <c>errptr</c>, freeing RocksDB's message.
    /// </summary>
    /// <param name="errptr">The pointer the call wrote, or 0 when it succeeded.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void ThrowIfError(nint errptr)
    {
        if (errptr != 0)
            Throw(errptr);
    }

    // Kept out of line so the success path of every call inlines to a single comparison.
    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Throw(nint errptr)
    {
        string message;
        try
        {
            message = Marshal.PtrToStringUTF8(errptr) ?? "Unknown RocksDB error.";
        }
        finally
        {
            NativeMethods.rocksdb_free(errptr);
        }
        throw new RocksDbException(message);
    }
}
