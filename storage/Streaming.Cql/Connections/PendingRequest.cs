using Streaming.Cql.Protocol;

namespace Streaming.Cql.Connections;

/// <summary>
/// A request on one stream id, from enqueue to answer. Two races are settled here: written-or-cancelled (a request
/// abandoned before the writer reached it is never sent, so its id can be freed at once) and answered-or-abandoned
/// (a request abandoned after it was sent keeps its id until the late answer arrives).
/// </summary>
internal sealed class PendingRequest(short streamId)
{
    private const int Queued = 0;
    private const int Written = 1;
    private const int WriteCancelled = 2;

    private readonly TaskCompletionSource<RawFrame> _answer = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _writeState;

    public short StreamId { get; } = streamId;

    public Task<RawFrame> Answer => _answer.Task;

    /// <summary>True once the writer took the frame: from then on the server may execute it.</summary>
    public bool MayHaveBeenSent => Volatile.Read(ref _writeState) == Written;

    /// <summary>The writer claims the frame; false when the request was abandoned first (then it must not be sent).</summary>
    public bool TryMarkWritten() => Interlocked.CompareExchange(ref _writeState, Written, Queued) != WriteCancelled;

    /// <summary>The waiter gives up; true when the frame had not been written and now never will be.</summary>
    public bool TryCancelWrite() => Interlocked.CompareExchange(ref _writeState, WriteCancelled, Queued) == Queued;

    public bool TryComplete(RawFrame frame) => _answer.TrySetResult(frame);

    public bool TryFail(Exception error) => _answer.TrySetException(error);

    /// <summary>Marks the request abandoned; false when its answer or failure got there first.</summary>
    public bool TryAbandon() => _answer.TrySetCanceled();
}
