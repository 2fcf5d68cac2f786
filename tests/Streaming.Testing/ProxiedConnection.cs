using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Streaming.Testing;

/// <summary>
/// One client connection relayed to its broker. A request header starts with int16 api_key, int16 api_version and
/// int32 correlation_id; the connection remembers them per correlation ID so it knows how to parse each response.
/// </summary>
internal sealed class ProxiedConnection(TcpClient client, BrokerAddressRewriter rewriter, Action<(short ApiKey, short Version)> sawRequest, Action<int> rewrote)
{
    private readonly TcpClient upstream = new() { NoDelay = true };
    private readonly ConcurrentDictionary<int, (short ApiKey, short Version)> requests = new();

    public Task ConnectAsync(int upstreamPort, CancellationToken ct)
    {
        client.NoDelay = true;
        return upstream.ConnectAsync(IPAddress.Loopback, upstreamPort, ct).AsTask();
    }

    /// <summary>Relays both ways until either side closes.</summary>
    public async Task RelayAsync(CancellationToken ct)
    {
        var up = KafkaFramePump.RunAsync(client.GetStream(), upstream.GetStream(), frame =>
        {
            if (frame.Length >= 8)
            {
                var key = (BinaryPrimitives.ReadInt16BigEndian(frame), BinaryPrimitives.ReadInt16BigEndian(frame.AsSpan(2)));
                sawRequest(key);
                requests[BinaryPrimitives.ReadInt32BigEndian(frame.AsSpan(4))] = key;
            }
        }, ct);
        var down = KafkaFramePump.RunAsync(upstream.GetStream(), client.GetStream(), frame =>
        {
            if (frame.Length >= 4 && requests.TryRemove(BinaryPrimitives.ReadInt32BigEndian(frame), out var request))
            {
                rewrote(rewriter.Rewrite(frame, request.ApiKey, request.Version));
            }
        }, ct);
        await Task.WhenAny(up, down);
    }

    public void Close()
    {
        client.Dispose();
        upstream.Dispose();
    }
}
