using System.Diagnostics;
using Streaming.Monitoring;

namespace Streaming.Cli;

/// <summary>What the views show at one refresh: the demo generator's counts, where every request stands, and lag per group.</summary>
internal sealed record Frame(TimeSpan Uptime, DemoCounts Demo, double RequestsPerSecond, TrackerSnapshot Snapshot, IReadOnlyList<GroupLag> Lags);

/// <summary>Gathers a <see cref="Frame"/> per refresh and remembers the largest lag each group had.</summary>
internal sealed class UpFrames(DemoTraffic demo, OutcomeTracker tracker, LagMonitor lag)
{
    private readonly Stopwatch uptime = Stopwatch.StartNew();
    private readonly Dictionary<string, long> maxLag = new(StringComparer.Ordinal);
    private long lastRequested;
    private TimeSpan lastAt;

    public TimeSpan Uptime => uptime.Elapsed;

    public IReadOnlyDictionary<string, long> MaxLag => maxLag;

    public async Task<Frame> NextAsync(TimeSpan interval, CancellationToken ct)
    {
        await Task.Delay(interval, ct);
        var snapshot = tracker.Snapshot();
        var counts = demo.Counts;
        var now = uptime.Elapsed;
        var rate = (snapshot.Requested - lastRequested) / Math.Max(0.001, (now - lastAt).TotalSeconds);
        (lastRequested, lastAt) = (snapshot.Requested, now);
        var lags = await lag.SampleAsync(ct);
        foreach (var g in lags)
        {
            maxLag[g.Group] = Math.Max(maxLag.GetValueOrDefault(g.Group), g.TotalLag);
        }

        return new Frame(now, counts, rate, snapshot, lags);
    }
}
