using System.Threading.Channels;

namespace Streaming.Cql.Connections;

/// <summary>
/// The single writer of a connection. Frames queued while a write is in progress go out together in one socket
/// write (up to 64 KB), so many concurrent small requests cost few syscalls. The queue holds at most one frame per
/// stream id, which bounds it.
/// </summary>
internal sealed class FrameWriteQueue(Stream stream)
{
    private const int CoalesceLimit = 64 * 1024;

    private readonly Channel<(byte[] Frame, PendingRequest? Pending)> _queue =
        Channel.CreateUnbounded<(byte[], PendingRequest?)>(new UnboundedChannelOptions { SingleReader = true });

    public bool TryEnqueue(byte[] frame, PendingRequest? pending) => _queue.Writer.TryWrite((frame, pending));

    public void Complete() => _queue.Writer.TryComplete();

    /// <summary>Writes until the queue completes; <paramref name="onSkipped"/> gets requests abandoned before their write.</summary>
    public async Task RunAsync(Action<PendingRequest> onSkipped, CancellationToken cancellationToken)
    {
        var buffer = new byte[CoalesceLimit];
        var reader = _queue.Reader;
        while (await reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var used = 0;
            while (reader.TryPeek(out var next))
            {
                if (used > 0 && used + next.Frame.Length > buffer.Length)
                {
                    break;
                }

                reader.TryRead(out next);
                if (next.Pending is { } pending && !pending.TryMarkWritten())
                {
                    onSkipped(pending);
                    continue;
                }

                if (next.Frame.Length > buffer.Length)
                {
                    await stream.WriteAsync(next.Frame, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                next.Frame.CopyTo(buffer, used);
                used += next.Frame.Length;
            }

            if (used > 0)
            {
                await stream.WriteAsync(buffer.AsMemory(0, used), cancellationToken).ConfigureAwait(false);
            }

            await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
