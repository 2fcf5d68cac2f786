using System.Buffers.Binary;
using System.Net.Sockets;

namespace Streaming.Testing;

/// <summary>Copies Kafka's length-prefixed frames (int32 big-endian length, then the body) from one stream to another.</summary>
internal static class KafkaFramePump
{
    private const int MaxFrameBytes = 256 * 1024 * 1024;

    /// <summary>Copies frames until either side closes, letting <paramref name="inspect"/> see (and patch) each body first.</summary>
    public static async Task RunAsync(Stream from, Stream to, Action<byte[]> inspect, CancellationToken ct)
    {
        var prefix = new byte[4];
        try
        {
            while (true)
            {
                await from.ReadExactlyAsync(prefix, ct);
                var length = BinaryPrimitives.ReadInt32BigEndian(prefix);
                if (length is < 0 or > MaxFrameBytes)
                {
                    return; // not Kafka framing: drop the link
                }

                var body = new byte[length];
                await from.ReadExactlyAsync(body, ct);
                inspect(body);
                await to.WriteAsync(prefix, ct);
                await to.WriteAsync(body, ct);
            }
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException or EndOfStreamException)
        {
            // link closed
        }
    }
}
