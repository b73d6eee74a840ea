using System.Net;
using System.Net.Sockets;

namespace MiniKube.Testing;

/// <summary>Loopback ports nobody is listening on, for servers the tests start.</summary>
public static class FreePort
{
    private static readonly Lock Lock = new();
    private static readonly HashSet<int> Handed = [];

    /// <summary>
    /// A port the OS just gave out and that this process has not handed out before: the OS cycles
    /// through its ephemeral range, so a port is rarely reused soon by someone else.
    /// </summary>
    public static int Pick()
    {
        lock (Lock)
        {
            while (true)
            {
                using var listener = new TcpListener(IPAddress.Loopback, 0);
                listener.Start();
                var port = ((IPEndPoint)listener.LocalEndpoint).Port;
                listener.Stop();
                if (Handed.Add(port))
                {
                    return port;
                }
            }
        }
    }
}
