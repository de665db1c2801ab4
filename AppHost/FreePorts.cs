using System.Net;
using System.Net.Sockets;

namespace CanaryDemo.AppHost;

/// <summary>Loopback ports for the processes that were given none.</summary>
internal static class FreePorts
{
    /// <summary><paramref name="port"/>, or a loopback port that was free a moment ago (the OS picks it) when it is 0.</summary>
    public static int OrFree(int port)
    {
        if (port != 0)
        {
            return port;
        }

        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
