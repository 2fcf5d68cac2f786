using Streaming.Cql.Connections;
using Streaming.Cql.Protocol;

namespace Streaming.Cql.Tests;

public class WriteQueueTests
{
    private sealed class CountingStream : MemoryStream
    {
        public int Writes { get; private set; }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Writes++;
            return base.WriteAsync(buffer, cancellationToken);
        }
    }

    private static byte[] Frame(short stream, int bodyLength)
    {
        var frame = new byte[FrameHeader.Size + bodyLength];
        new FrameHeader(FrameHeader.RequestVersion, FrameFlags.None, stream, CqlOpcode.Query, bodyLength).WriteTo(frame);
        frame.AsSpan(FrameHeader.Size).Fill((byte)stream);
        return frame;
    }

    [Fact]
    public async Task frames_queued_together_go_out_in_one_write_in_order()
    {
        var stream = new CountingStream();
        var queue = new FrameWriteQueue(stream);
        var frames = Enumerable.Range(0, 10).Select(i => Frame((short)i, 20)).ToList();
        frames.ForEach(f => queue.TryEnqueue(f, null));
        queue.Complete();

        await queue.RunAsync(_ => { }, TestContext.Current.CancellationToken);

        Assert.Equal(1, stream.Writes);
        Assert.Equal(frames.SelectMany(f => f), stream.ToArray());
    }

    [Fact]
    public async Task a_frame_larger_than_the_coalescing_buffer_is_written_alone_keeping_the_order()
    {
        var stream = new CountingStream();
        var queue = new FrameWriteQueue(stream);
        var frames = new[] { Frame(1, 10), Frame(2, 70_000), Frame(3, 10) };
        foreach (var frame in frames)
        {
            queue.TryEnqueue(frame, null);
        }

        queue.Complete();
        await queue.RunAsync(_ => { }, TestContext.Current.CancellationToken);

        Assert.Equal(3, stream.Writes);
        Assert.Equal(frames.SelectMany(f => f), stream.ToArray());
    }

    [Fact]
    public async Task a_request_abandoned_before_its_write_is_never_sent_and_its_id_is_handed_back()
    {
        var stream = new CountingStream();
        var queue = new FrameWriteQueue(stream);
        var abandoned = new PendingRequest(1);
        var live = new PendingRequest(2);
        queue.TryEnqueue(Frame(1, 4), abandoned);
        queue.TryEnqueue(Frame(2, 4), live);
        Assert.True(abandoned.TryCancelWrite());
        queue.Complete();
        var skipped = new List<short>();

        await queue.RunAsync(p => skipped.Add(p.StreamId), TestContext.Current.CancellationToken);

        Assert.Equal([(short)1], skipped);
        Assert.Equal(Frame(2, 4), stream.ToArray());
        Assert.True(live.MayHaveBeenSent);
        Assert.False(abandoned.MayHaveBeenSent);
    }
}
