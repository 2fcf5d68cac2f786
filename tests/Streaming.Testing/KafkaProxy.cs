using System.Buffers.Binary;
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
/// and rewrites each broker's port, in place, in Metadata (api key 3), FindCoordinator (10) and DescribeCluster (60)
/// responses to the matching proxy port. The host stays 127.0.0.1, so no length changes. Requests are
/// length-prefixed frames (int32 big-endian); their header starts with int16 api_key, int16 api_version, int32
/// correlation_id, which the proxy remembers per connection to know how to parse each response.
/// </remarks>
public sealed class KafkaProxy : IAsyncDisposable
{
    private const short Metadata = 3;
    private const short FindCoordinator = 10;
    private const short DescribeCluster = 60;

    private readonly List<Listener> listeners = [];
    private readonly Dictionary<int, int> proxyPortByBrokerPort = [];
    private readonly ConcurrentDictionary<Link, byte> links = new();
    private readonly ConcurrentDictionary<(short ApiKey, short Version), byte> seen = new();
    private readonly CancellationTokenSource stop = new();
    private volatile bool cut;
    private int accepted;
    private int refused;
    private int rewritten;

    private KafkaProxy()
    {
    }

    /// <summary>Give these to every client that should go through the proxy.</summary>
    public string BootstrapServers => string.Join(",", listeners.Select(l => $"127.0.0.1:{l.ProxyPort}"));

    /// <summary>Connections accepted and forwarded since the start.</summary>
    public int ConnectionsAccepted => Volatile.Read(ref accepted);

    /// <summary>Connections closed at once because the proxy was cut.</summary>
    public int ConnectionsRefused => Volatile.Read(ref refused);

    /// <summary>Broker addresses rewritten in responses (each one counts).</summary>
    public int AddressesRewritten => Volatile.Read(ref rewritten);

    public int OpenConnections => links.Count;

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
        foreach (var link in links.Keys)
        {
            link.Close();
        }
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

        foreach (var link in links.Keys)
        {
            link.Close();
        }

        stop.Dispose();
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
        var upstream = new TcpClient { NoDelay = true };
        client.NoDelay = true;
        var link = new Link(client, upstream);
        links[link] = 0;
        try
        {
            await upstream.ConnectAsync(IPAddress.Loopback, upstreamPort, stop.Token);
            if (cut)
            {
                Interlocked.Increment(ref refused);
                return;
            }

            Interlocked.Increment(ref accepted);
            var requests = new ConcurrentDictionary<int, (short ApiKey, short Version)>();
            var up = PumpAsync(client.GetStream(), upstream.GetStream(), frame =>
            {
                if (frame.Length >= 8)
                {
                    var key = (BinaryPrimitives.ReadInt16BigEndian(frame), BinaryPrimitives.ReadInt16BigEndian(frame.AsSpan(2)));
                    seen.TryAdd(key, 0);
                    requests[BinaryPrimitives.ReadInt32BigEndian(frame.AsSpan(4))] = key;
                }
            });
            var down = PumpAsync(upstream.GetStream(), client.GetStream(), frame =>
            {
                if (frame.Length >= 4 && requests.TryRemove(BinaryPrimitives.ReadInt32BigEndian(frame), out var request))
                {
                    Interlocked.Add(ref rewritten, RewriteBrokers(frame, request.ApiKey, request.Version));
                }
            });
            await Task.WhenAny(up, down);
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
            // a cut, a client or broker that went away: the link closes below
        }
        finally
        {
            link.Close();
            links.TryRemove(link, out _);
        }
    }

    /// <summary>Copies length-prefixed frames from <paramref name="from"/> to <paramref name="to"/>, letting <paramref name="inspect"/> see (and patch) each body.</summary>
    private async Task PumpAsync(Stream from, Stream to, Action<byte[]> inspect)
    {
        var prefix = new byte[4];
        try
        {
            while (true)
            {
                await from.ReadExactlyAsync(prefix, stop.Token);
                var length = BinaryPrimitives.ReadInt32BigEndian(prefix);
                if (length is < 0 or > 256 * 1024 * 1024)
                {
                    return; // not Kafka framing: drop the link
                }

                var body = new byte[length];
                await from.ReadExactlyAsync(body, stop.Token);
                inspect(body);
                await to.WriteAsync(prefix, stop.Token);
                await to.WriteAsync(body, stop.Token);
            }
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException or EndOfStreamException)
        {
            // link closed
        }
    }

    /// <summary>Rewrites every broker port in a Metadata, FindCoordinator or DescribeCluster response body; returns how many.</summary>
    internal int RewriteBrokers(byte[] frame, short apiKey, short version)
    {
        if (apiKey is not (Metadata or FindCoordinator or DescribeCluster))
        {
            return 0;
        }

        var flexible = apiKey switch
        {
            Metadata => version >= 9,
            FindCoordinator => version >= 3,
            _ => true,
        };
        var r = new Reader(frame) { Position = 4 }; // correlation id
        if (flexible)
        {
            r.SkipTaggedFields(); // response header v1
        }

        var count = 0;
        switch (apiKey)
        {
            case Metadata:
                if (version >= 3)
                {
                    r.Skip(4); // throttle_time_ms
                }

                var brokers = flexible ? r.CompactArrayLength() : r.Int32();
                for (var i = 0; i < brokers; i++)
                {
                    r.Skip(4); // node_id
                    r.String(flexible);
                    count += Patch(frame, r.Position);
                    r.Skip(4); // port
                    if (version >= 1)
                    {
                        r.String(flexible); // rack
                    }

                    if (flexible)
                    {
                        r.SkipTaggedFields();
                    }
                }

                break;

            case FindCoordinator when version < 4:
                if (version >= 1)
                {
                    r.Skip(4); // throttle_time_ms
                }

                r.Skip(2); // error_code
                if (version >= 1)
                {
                    r.String(flexible); // error_message
                }

                r.Skip(4); // node_id
                r.String(flexible);
                count += Patch(frame, r.Position);
                break;

            case FindCoordinator:
                r.Skip(4); // throttle_time_ms
                var coordinators = r.CompactArrayLength();
                for (var i = 0; i < coordinators; i++)
                {
                    r.String(true); // key
                    r.Skip(4); // node_id
                    r.String(true); // host
                    count += Patch(frame, r.Position);
                    r.Skip(4 + 2); // port, error_code
                    r.String(true); // error_message
                    r.SkipTaggedFields();
                }

                break;

            default: // DescribeCluster
                r.Skip(4 + 2); // throttle_time_ms, error_code
                r.String(true); // error_message
                if (version >= 1)
                {
                    r.Skip(1); // endpoint_type
                }

                r.String(true); // cluster_id
                r.Skip(4); // controller_id
                var nodes = r.CompactArrayLength();
                for (var i = 0; i < nodes; i++)
                {
                    r.Skip(4); // broker_id
                    r.String(true);
                    count += Patch(frame, r.Position);
                    r.Skip(4);
                    r.String(true); // rack
                    r.SkipTaggedFields();
                }

                break;
        }

        return count;
    }

    private int Patch(byte[] frame, int portOffset)
    {
        var port = BinaryPrimitives.ReadInt32BigEndian(frame.AsSpan(portOffset));
        if (!proxyPortByBrokerPort.TryGetValue(port, out var proxyPort))
        {
            return 0; // e.g. -1 when no coordinator is available yet
        }

        BinaryPrimitives.WriteInt32BigEndian(frame.AsSpan(portOffset), proxyPort);
        return 1;
    }

    private sealed record Listener(TcpListener Socket, int ProxyPort, int UpstreamPort);

    private sealed class Link(TcpClient client, TcpClient upstream)
    {
        public void Close()
        {
            client.Dispose();
            upstream.Dispose();
        }
    }

    /// <summary>Just enough of the Kafka wire format to walk past the fields before each broker port.</summary>
    private sealed class Reader(byte[] buffer)
    {
        public int Position { get; set; }

        public void Skip(int bytes) => Position += bytes;

        public int Int32()
        {
            var v = BinaryPrimitives.ReadInt32BigEndian(buffer.AsSpan(Position));
            Position += 4;
            return v;
        }

        public uint UnsignedVarint()
        {
            uint value = 0;
            for (var shift = 0; ; shift += 7)
            {
                var b = buffer[Position++];
                value |= (uint)(b & 0x7f) << shift;
                if ((b & 0x80) == 0)
                {
                    return value;
                }
            }
        }

        /// <summary>A (nullable) string: int16 length, or in flexible versions an unsigned varint length + 1.</summary>
        public void String(bool compact)
        {
            int length;
            if (compact)
            {
                length = (int)UnsignedVarint() - 1;
            }
            else
            {
                length = BinaryPrimitives.ReadInt16BigEndian(buffer.AsSpan(Position));
                Position += 2;
            }

            Position += Math.Max(0, length); // -1 = null
        }

        public int CompactArrayLength() => Math.Max(0, (int)UnsignedVarint() - 1);

        public void SkipTaggedFields()
        {
            var fields = UnsignedVarint();
            for (var i = 0; i < fields; i++)
            {
                UnsignedVarint(); // tag
                Position += (int)UnsignedVarint(); // size, then the data
            }
        }
    }
}
