using System.Net;
using System.Net.Sockets;

namespace MiniKube.Grpc.Tests.Infrastructure;

internal static class FreePort
{
    /// <summary>A port the OS just handed out for 127.0.0.1, for processes that cannot be told to use port 0.</summary>
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
