using System.Buffers.Binary;
using Microsoft.Extensions.Logging;
using Streaming.Cql.Protocol;

namespace Streaming.Cql.Connections;

/// <summary>
/// One multiplexed native-protocol connection: requests take a stream id (waiting when all are busy), go through
/// the single writer, and one read loop hands each answer to the request on its stream id (answers come in any
/// order, section 2.3). A request that times out keeps its id until its late answer arrives; when more than three
/// quarters of the ids are held that way the connection closes once its live requests are done, and the pool
/// opens a fresh one. When the connection fails, every request in flight fails with
/// <see cref="CqlConnectionClosedException"/>.
/// </summary>
internal sealed class CqlConnection : IAsyncDisposable
{
    private readonly Stream _stream;
    private readonly StreamIdPool _ids;
    private readonly PendingRequest?[] _inFlight;
    private readonly FrameWriteQueue _writer;
    private readonly CancellationTokenSource _closing = new();
    private readonly TaskCompletionSource<Exception> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ILogger _logger;
    private readonly int _orphanLimit;
    private Task _loops = Task.CompletedTask;
    private Task _heartbeat = Task.CompletedTask;
    private long _lastReadTicks = Environment.TickCount64;
    private Exception? _closeReason;
    private int _orphans;
    private int _closeStarted;

    public CqlConnection(Stream stream, string host, int maxRequests, ILogger logger)
    {
        _stream = stream;
        Host = host;
        _ids = new StreamIdPool(maxRequests);
        _inFlight = new PendingRequest?[maxRequests];
        _writer = new FrameWriteQueue(stream);
        _logger = logger;
        _orphanLimit = maxRequests * 3 / 4;
    }

    public string Host { get; }

    /// <summary>The keyspace the last USE on this connection set.</summary>
    public string? Keyspace { get; set; }

    /// <summary>Stream ids taken, including those held for late answers.</summary>
    public int InFlight => _ids.InUse;

    /// <summary>Requests given up on whose answer has not arrived.</summary>
    public int Orphans => Volatile.Read(ref _orphans);

    public bool IsClosed => Volatile.Read(ref _closeStarted) != 0;

    /// <summary>Open and not draining: fit for new requests.</summary>
    public bool IsUsable => !IsClosed && Orphans <= _orphanLimit;

    /// <summary>Completes with the reason once the connection is closed.</summary>
    public Task<Exception> Closed => _closed.Task;

    /// <summary>Time since the last frame was read.</summary>
    public TimeSpan IdleFor => TimeSpan.FromMilliseconds(Environment.TickCount64 - Volatile.Read(ref _lastReadTicks));

    public void Start()
    {
        var reading = Task.Run(ReadLoopAsync);
        var writing = Task.Run(WriteLoopAsync);
        _loops = Task.WhenAll(reading, writing);
    }

    /// <summary>Starts the idle heartbeat (see <see cref="ConnectionHeartbeat"/>); a zero interval leaves it off.</summary>
    public void StartHeartbeat(TimeSpan interval, TimeSpan timeout)
    {
        if (interval > TimeSpan.Zero)
        {
            _heartbeat = Task.Run(() => ConnectionHeartbeat.RunAsync(this, interval, timeout, _closing.Token));
        }
    }

    /// <summary>Sends <paramref name="request"/> and returns its decoded answer (which may be an ERROR).</summary>
    public async Task<ResponseFrame> SendAsync(CqlMessage request, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var frame = FrameCodec.EncodeRequest(0, request);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _closing.Token);
        deadline.CancelAfter(timeout);

        short id;
        try
        {
            id = await _ids.AcquireAsync(deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            cancellationToken.ThrowIfCancellationRequested();
            throw IsClosed ? ClosedError(sent: false) : new CqlRequestTimeoutException(Host, timeout, requestMayHaveBeenSent: false);
        }

        var pending = new PendingRequest(id);
        BinaryPrimitives.WriteInt16BigEndian(frame.AsSpan(FrameCodec.StreamOffset), id);
        Interlocked.Exchange(ref _inFlight[id], pending);
        if (IsClosed || !_writer.TryEnqueue(frame, pending))
        {
            pending.TryFail(ClosedError(sent: false));
        }

        try
        {
            var raw = await pending.Answer.WaitAsync(deadline.Token).ConfigureAwait(false);
            return FrameCodec.DecodeResponse(raw);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            // Judged before abandoning: abandoning may itself close a draining connection, yet this request timed out.
            var closed = _closing.IsCancellationRequested;
            if (!Abandon(pending))
            {
                return FrameCodec.DecodeResponse(await pending.Answer.ConfigureAwait(false));
            }

            cancellationToken.ThrowIfCancellationRequested();
            throw closed ? ClosedError(pending.MayHaveBeenSent) : new CqlRequestTimeoutException(Host, timeout, pending.MayHaveBeenSent);
        }
    }

    /// <summary>Closes the connection; requests in flight fail with <see cref="CqlConnectionClosedException"/>.</summary>
    public void Close(Exception reason)
    {
        if (Interlocked.Exchange(ref _closeStarted, 1) != 0)
        {
            return;
        }

        Volatile.Write(ref _closeReason, reason);
        if (reason is ObjectDisposedException)
        {
            ConnectionLog.ClosedByClient(_logger, Host);
        }
        else
        {
            ConnectionLog.Failed(_logger, Host, reason.Message);
        }

        // Fail the requests before cancelling: cancellation may run their waiters inline, and they should see the failure.
        for (var i = 0; i < _inFlight.Length; i++)
        {
            if (Interlocked.Exchange(ref _inFlight[i], null) is { } pending)
            {
                pending.TryFail(new CqlConnectionClosedException(Host, pending.MayHaveBeenSent, reason.Message, reason));
            }
        }

        _writer.Complete();
        _closing.Cancel();
        _stream.Dispose();
        _closed.TrySetResult(reason);
    }

    public async ValueTask DisposeAsync()
    {
        Close(new ObjectDisposedException(nameof(CqlConnection), "The client closed the connection."));
        await Task.WhenAll(_loops, _heartbeat).ConfigureAwait(false);
    }

    private bool Abandon(PendingRequest pending)
    {
        Interlocked.Increment(ref _orphans);
        if (!pending.TryAbandon())
        {
            Interlocked.Decrement(ref _orphans);
            return false;
        }

        if (pending.TryCancelWrite())
        {
            // Never written: no answer will come, so the id is free now.
            Release(pending);
        }
        else if (Orphans > _orphanLimit)
        {
            ConnectionLog.Draining(_logger, Host, Orphans, _ids.Capacity);
        }

        CloseIfDrained();
        return true;
    }

    private async Task ReadLoopAsync()
    {
        try
        {
            var reader = new FrameReader(new BufferedStream(_stream, 64 * 1024), readsResponses: true);
            while (await reader.ReadAsync(_closing.Token).ConfigureAwait(false) is { } frame)
            {
                Dispatch(frame);
            }

            Close(new EndOfStreamException("the server closed the connection"));
        }
        catch (Exception e)
        {
            Close(e);
        }
    }

    private async Task WriteLoopAsync()
    {
        try
        {
            await _writer.RunAsync(Release, _closing.Token).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            Close(e);
        }
    }

    private void Dispatch(RawFrame frame)
    {
        Volatile.Write(ref _lastReadTicks, Environment.TickCount64);
        var id = frame.Header.Stream;
        if (id < 0)
        {
            // Server-initiated (EVENT on stream -1). This client registers for no events; a server pushing them anyway is tolerated.
            ConnectionLog.EventIgnored(_logger, Host, frame.Header.Opcode.ToString());
            return;
        }

        if (id >= _inFlight.Length || Interlocked.Exchange(ref _inFlight[id], null) is not { } pending)
        {
            ConnectionLog.UnexpectedStream(_logger, Host, id);
            return;
        }

        if (!pending.TryComplete(frame))
        {
            Interlocked.Decrement(ref _orphans);
            ConnectionLog.LateAnswer(_logger, Host, id);
        }

        _ids.Release(id);
        CloseIfDrained();
    }

    private void Release(PendingRequest pending)
    {
        if (Interlocked.CompareExchange(ref _inFlight[pending.StreamId], null, pending) == pending)
        {
            Interlocked.Decrement(ref _orphans);
            _ids.Release(pending.StreamId);
        }
    }

    private void CloseIfDrained()
    {
        if (Orphans > _orphanLimit && _ids.InUse <= Orphans)
        {
            Close(new ConnectionRecycledException($"{Orphans} of {_ids.Capacity} stream ids wait for answers that never came; the connection is replaced"));
        }
    }

    private CqlConnectionClosedException ClosedError(bool sent)
        => new(Host, sent, Volatile.Read(ref _closeReason)?.Message ?? "closing", Volatile.Read(ref _closeReason));
}

/// <summary>The client closed a healthy connection to replace it; this says nothing about the host.</summary>
internal sealed class ConnectionRecycledException(string message) : CqlException(message);
