using System.Net.Http;
using System.Net.Sockets;

namespace CanaryDemo.ServiceDefaults;

/// <summary>
/// Outgoing connections that say whether a request ever left the process. A failed call whose
/// connection was never made cannot have been applied, whatever else went wrong; every other
/// failure after the request was handed to a connection may have been. Both services use it: the
/// store for its DynamoDB requests, the api for its store calls.
/// </summary>
public static class OutboundConnections
{
    /// <summary>
    /// A <see cref="SocketsHttpHandler.ConnectCallback"/> that opens a TCP connection (as the
    /// handler's own default does) within <paramref name="connectTimeout"/>, and turns every way
    /// of not getting one (refused, unreachable, DNS, the timeout) into <see cref="NotConnectedException"/>.
    /// </summary>
    public static Func<SocketsHttpConnectionContext, CancellationToken, ValueTask<Stream>> ConnectCallback(
        TimeSpan connectTimeout) => async (context, cancellationToken) =>
        {
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(connectTimeout);
                await socket.ConnectAsync(context.DnsEndPoint, timeout.Token);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (Exception exception)
            {
                socket.Dispose();
                throw new NotConnectedException(context.DnsEndPoint.ToString(), exception);
            }
        };

    /// <summary>True when <paramref name="exception"/> or one of its inner exceptions says no connection was made.</summary>
    public static bool NeverConnected(Exception? exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is NotConnectedException)
            {
                return true;
            }
        }

        return false;
    }
}

/// <summary>
/// No connection could be made, so nothing was sent. An <see cref="IOException"/>, because HTTP
/// clients (the AWS SDK among them) pass I/O failures of a connection on as such.
/// </summary>
public sealed class NotConnectedException(string endpoint, Exception innerException)
    : IOException($"Could not connect to {endpoint}: {innerException.Message}", innerException);
