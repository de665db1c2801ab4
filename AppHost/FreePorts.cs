using System.Net;
using System.Net.Sockets;

namespace CanaryDemo.AppHost;

/// <summary>Loopback ports for the processes that were given none.</summary>
internal static class FreePorts
{
    // Below Linux's ephemeral range (32768-60999): a port picked there is not handed out meanwhile
    // to some outgoing connection before the process that is to listen on it starts.
    private const int First = 20000;
    private const int Last = 32767;

    private static readonly HashSet<int> Given = [];

    /// <summary><paramref name="port"/>, or when it is 0 a loopback port that is free now and was not given before.</summary>
    public static int OrFree(int port)
    {
        if (port != 0)
        {
            return port;
        }

        lock (Given)
        {
            for (var attempt = 0; attempt < 1000; attempt++)
            {
                var candidate = Random.Shared.Next(First, Last + 1);
                if (!Given.Contains(candidate) && IsFree(candidate))
                {
                    Given.Add(candidate);
                    return candidate;
                }
            }
        }

        throw new InvalidOperationException($"No free loopback port between {First} and {Last}.");
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
