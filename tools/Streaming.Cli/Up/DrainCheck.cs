namespace Streaming.Cli;

/// <summary>
/// Decides when <c>up --until-drained</c> is done: the demo traffic finished, every request the stack took is final or
/// held, every accepted demo request was seen on the requests topic, and no group has anything left to read (retry topics
/// included), seen on two frames in a row so a record between topics is not missed.
/// </summary>
internal sealed class DrainCheck(TimeSpan timeout)
{
    private int quietFrames;

    /// <summary>Null while the run goes on; otherwise the exit code, with <paramref name="why"/> saying what is missing on a timeout.</summary>
    public int? Check(Frame frame, bool trafficDone, out string? why)
    {
        why = null;
        if (!trafficDone)
        {
            return null;
        }

        var s = frame.Snapshot;
        var quiet = s.Pending.Count == 0 && s.Requested >= frame.Demo.Accepted && frame.Lags.All(g => g.TotalLag == 0);
        quietFrames = quiet ? quietFrames + 1 : 0;
        if (quietFrames >= 2)
        {
            return 0;
        }

        if (frame.Uptime <= timeout)
        {
            return null;
        }

        var behind = string.Join(", ", frame.Lags.Where(g => g.TotalLag > 0).Select(g => $"{g.Group} lag {g.TotalLag}"));
        why = $"Not drained after {timeout.TotalSeconds:0} s: {s.Pending.Count} of {s.Requested} requests have no final outcome (e.g. {string.Join(", ", s.Pending.Take(10))}); "
            + $"{s.Requested} of {frame.Demo.Accepted} accepted demo requests seen on the requests topic; {(behind.Length == 0 ? "no lag" : behind)}";
        return 1;
    }
}
