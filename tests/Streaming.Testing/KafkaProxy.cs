using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Streaming.Testing;

/// <summary>
/// A Kafka-aware TCP proxy in front of the embedded cluster, so a test can cut clients off from the brokers and
/// restore them (the embedded cluster itself keeps nothing across a restart, so it cannot be restarted instead).
/// </summary>
/// <remarks>
/// Kafka clients connect to the brokers' <em>advertised</em> addresses from Metadata responses, not to the bootstrap
/// address, so a plain port forward would be bypassed right after bootstrap. This proxy listens on one port per broker
/// and rewrites each broker's port in the responses that advertise brokers (<see cref="BrokerAddressRewriter"/>).
/// </remarks>
public sealed class KafkaProxy : IAsyncDisposable
{
    private readonly List<Listener> listeners = [];
    private readonly Dictionary<int, int> proxyPortByBrokerPort = [];
    private readonly ConcurrentDictionary<ProxiedConnection, byte> connections = new();
    private readonly ConcurrentDictionary<(short ApiKey, short Version), byte> seen = new();
    private readonly CancellationTokenSource stop = new();
    private readonly BrokerAddressRewriter rewriter;
    private volatile bool cut;
    private int accepted;
    private int refused;
    private int rewritten;

    private KafkaProxy() => rewriter = new BrokerAddressRewriter(proxyPortByBrokerPort);

    /// <summary>Give these to every client that should go through the proxy.</summary>
    public string BootstrapServers => string.Join(",", listeners.Select(l => $"127.0.0.1:{l.ProxyPort}"));

    /// <summary>Connections accepted and forwarded since the start.</summary>
    public int ConnectionsAccepted => Volatile.Read(ref accepted);

    /// <summary>Connections closed at once because the proxy was cut.</summary>
    public int ConnectionsRefused => Volatile.Read(ref refused);

    /// <summary>Broker addresses rewritten in responses (each one counts).</summary>
    public int AddressesRewritten => Volatile.Read(ref rewritten);

    public int OpenConnections => connections.Count;

    public bool IsCut => cut;

    /// <summary>Every (api key, api version) a client sent through the proxy: what librdkafka negotiated with the brokers.</summary>
    public IReadOnlyCollection<(short ApiKey, short Version)> SeenApiVersions => [.. seen.Keys.Order()];

    /// <summary>Starts one listener per broker of <paramref name="upstreamBootstrapServers"/> (comma-separated 127.0.0.1:port).</summary>
    public static KafkaProxy Start(string upstreamBootstrapServers)
    {
        var proxy = new KafkaProxy();
        foreach (var address in upstreamBootstrapServers.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var colon = address.LastIndexOf(':');
            var host = address[..colon];
            if (host is not ("127.0.0.1" or "localhost"))
            {
                throw new ArgumentException($"Only local brokers can be proxied (the rewrite keeps the host): {address}", nameof(upstreamBootstrapServers));
            }

            var upstreamPort = int.Parse(address[(colon + 1)..], System.Globalization.CultureInfo.InvariantCulture);
            var socket = new TcpListener(IPAddress.Loopback, 0);
            socket.Start();
            var listener = new Listener(socket, ((IPEndPoint)socket.LocalEndpoint).Port, upstreamPort);
            proxy.listeners.Add(listener);
            proxy.proxyPortByBrokerPort[upstreamPort] = listener.ProxyPort;
        }

        foreach (var listener in proxy.listeners)
        {
            _ = Task.Run(() => proxy.AcceptLoopAsync(listener));
        }

        return proxy;
    }

    /// <summary>Closes every proxied connection and refuses new ones until <see cref="Restore"/>.</summary>
    public void Cut()
    {
        cut = true;
        CloseAll();
    }

    /// <summary>Accepts and forwards connections again; clients reconnect on their own (reconnect.backoff.ms).</summary>
    public void Restore() => cut = false;

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        foreach (var l in listeners)
        {
            l.Socket.Stop();
        }

        CloseAll();
        stop.Dispose();
    }

    private void CloseAll()
    {
        foreach (var connection in connections.Keys)
        {
            connection.Close();
        }
    }

    private async Task AcceptLoopAsync(Listener listener)
    {
        while (!stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await listener.Socket.AcceptTcpClientAsync(stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            if (cut)
            {
                Interlocked.Increment(ref refused);
                client.Dispose();
                continue;
            }

            _ = Task.Run(() => ForwardAsync(client, listener.UpstreamPort));
        }
    }

    private async Task ForwardAsync(TcpClient client, int upstreamPort)
    {
        var connection = new ProxiedConnection(client, rewriter, key => seen.TryAdd(key, 0), n => Interlocked.Add(ref rewritten, n));
        connections[connection] = 0;
        try
        {
            await connection.ConnectAsync(upstreamPort, stop.Token);
            if (cut)
            {
                Interlocked.Increment(ref refused);
                return;
            }

            Interlocked.Increment(ref accepted);
            await connection.RelayAsync(stop.Token);
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
            // a cut, a client or broker that went away: the connection closes below
        }
        finally
        {
            connection.Close();
            connections.TryRemove(connection, out _);
        }
    }

    private sealed record Listener(TcpListener Socket, int ProxyPort, int UpstreamPort);
}
