using System.Globalization;

namespace MiniKube.Etcd.Client.Tests.Infrastructure;

/// <summary>This process's established TCP connections to a port, read from /proc (Linux only).</summary>
public static class TcpConnections
{
    public static int CountTo(int port)
    {
        var sockets = new HashSet<string>();
        foreach (var fd in Directory.EnumerateFileSystemEntries("/proc/self/fd"))
        {
            try
            {
                if (new FileInfo(fd).LinkTarget is { } target && target.StartsWith("socket:[", StringComparison.Ordinal))
                {
                    sockets.Add(target["socket:[".Length..^1]);
                }
            }
            catch (IOException)
            {
                // closed meanwhile
            }
        }

        var count = 0;
        foreach (var table in new[] { "/proc/net/tcp", "/proc/net/tcp6" })
        {
            if (!File.Exists(table))
            {
                continue;
            }

            foreach (var line in File.ReadLines(table).Skip(1))
            {
                // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode
                var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                var remotePort = int.Parse(fields[2].Split(':')[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                if (remotePort == port && fields[3] == "01" && sockets.Contains(fields[9]))
                {
                    count++;
                }
            }
        }

        return count;
    }
}
