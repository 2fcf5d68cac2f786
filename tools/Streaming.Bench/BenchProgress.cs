using System.Diagnostics;

namespace Streaming.Bench;

/// <summary>Waiting on a stage's own progress count, and the rate it gives.</summary>
internal static class BenchProgress
{
    /// <summary>Records per second, rounded; a zero interval counts as a millisecond.</summary>
    public static double Rate(long records, TimeSpan elapsed) => Math.Round(records / Math.Max(0.001, elapsed.TotalSeconds), 0);

    /// <summary>
    /// Polls an in-process progress count (a component's own counter rather than the brokers: watermark queries every few
    /// milliseconds would take CPU from the stage being measured) until it reaches <paramref name="expected"/>; returns
    /// when the first and the last unit arrived, and the count at the first. Fails when the count stops moving.
    /// </summary>
    public static async Task<(TimeSpan First, TimeSpan Last, long FirstCount)> WaitForCountAsync(Func<long> progress, long expected, TimeSpan timeout, string what, Func<string> where, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        TimeSpan? first = null;
        var firstCount = 0L;
        var lastProgress = clock.Elapsed;
        var last = 0L;
        while (true)
        {
            var n = progress();
            if (n > 0 && first is null)
            {
                (first, firstCount) = (clock.Elapsed, n);
            }

            if (n >= expected)
            {
                return (first ?? clock.Elapsed, clock.Elapsed, firstCount);
            }

            if (n != last)
            {
                (last, lastProgress) = (n, clock.Elapsed);
            }

            if (clock.Elapsed - lastProgress > timeout)
            {
                throw new BenchFailure($"{what}: {n} of {expected} done, no progress for {timeout.TotalSeconds:0} s. {where()}");
            }

            await Task.Delay(5, ct);
        }
    }
}
