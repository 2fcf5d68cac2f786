namespace Streaming.Senders;

/// <summary>
/// How far a sender's stop has got, shared by its rooms: the poll loop ends on <see cref="LoopToken"/>, records run
/// under <see cref="WorkToken"/>, and queued records are no longer started once <see cref="Stopping"/> is set.
/// </summary>
internal sealed class StopSignals : IDisposable
{
    private readonly CancellationTokenSource stopLoop = new();
    private readonly CancellationTokenSource stopWork = new();
    private volatile bool stopping;
    private volatile bool aborted;

    /// <summary>Queued records are not started any more: set at once by an abort, after the drain by a graceful stop.</summary>
    public bool Stopping => stopping;

    /// <summary>Crash simulation: no drain, no further offset store or commit, no <c>Close()</c>.</summary>
    public bool Aborted => aborted;

    public CancellationToken LoopToken => stopLoop.Token;

    /// <summary>Cancelled when a graceful stop gives up on what still runs after its drain deadline.</summary>
    public CancellationToken StopWorkToken => stopWork.Token;

    /// <summary>
    /// The token a record runs under: after an abort, provider calls already running finish and log their outcome (a
    /// crash inside a provider call is the duplicate window); a graceful stop cancels what outlives its drain.
    /// </summary>
    public CancellationToken WorkToken => aborted ? CancellationToken.None : stopWork.Token;

    /// <summary>Ends the poll loop; an abort also stops every queued record from starting.</summary>
    public Task StopLoopAsync(bool abort)
    {
        aborted = abort;
        if (abort)
        {
            stopping = true;
        }

        return stopLoop.CancelAsync();
    }

    public void StopStartingRecords() => stopping = true;

    /// <summary>Anything still running after the drain deadline is abandoned uncommitted.</summary>
    public void CancelWork() => stopWork.Cancel();

    public void Dispose()
    {
        stopLoop.Dispose();
        stopWork.Dispose();
    }
}
