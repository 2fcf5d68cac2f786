using System.Net;
using System.Net.Sockets;

namespace Streaming.LocalCql.Server;

/// <summary>Opens listening sockets, retrying a port a just-stopped node still holds.</summary>
internal static class ListenerBinding
{
    private static readonly TimeSpan RebindTimeout = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan RebindPause = TimeSpan.FromMilliseconds(50);

    /// <summary>A started listener on <paramref name="address"/>:<paramref name="port"/> (0: a free port).</summary>
    public static TcpListener Bind(IPAddress address, int port)
    {
        var listener = new TcpListener(address, port);
        // Lets a restarted node take its port back while connections of its previous life sit in TIME_WAIT.
        listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        try
        {
            listener.Start();
            return listener;
        }
        catch
        {
            listener.Dispose();
            throw;
        }
    }

    /// <summary>
    /// <see cref="Bind"/>, retried while the port is still in use (a listener just closed may take a moment to release
    /// it), up to a deadline.
    /// </summary>
    public static async Task<TcpListener> RebindAsync(IPEndPoint endpoint, CancellationToken cancellationToken)
    {
        var deadline = DateTimeOffset.UtcNow + RebindTimeout;
        while (true)
        {
            try
            {
                return Bind(endpoint.Address, endpoint.Port);
            }
            catch (SocketException busy) when (busy.SocketErrorCode == SocketError.AddressAlreadyInUse && DateTimeOffset.UtcNow < deadline)
            {
                await Task.Delay(RebindPause, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
