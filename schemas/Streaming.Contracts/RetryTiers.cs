using System.Globalization;

namespace Streaming.Contracts;

/// <summary>
/// Non-blocking retries: one retry topic per delay, named <c>{base}.{delay}</c> (e.g. <c>notifications.sms.retry.10s</c>).
/// Every record on a tier's topic waits the same delay, so records are due in the order they arrive and a record
/// due in 10 seconds never waits behind one due in 10 minutes.
/// </summary>
public static class RetryTiers
{
    /// <summary>The platform's tiers: a transient failure of attempt n waits Default[n-1]; after the last, the DLQ.</summary>
    public static IReadOnlyList<TimeSpan> Default { get; } = [TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(10)];

    /// <summary>The topic of the tier with <paramref name="delay"/> under <paramref name="baseTopic"/>.</summary>
    public static string Topic(string baseTopic, TimeSpan delay) => $"{baseTopic}.{Label(delay)}";

    /// <summary>A delay as topic names spell it: the largest whole unit (<c>1h</c>, <c>10m</c>, <c>30s</c>, <c>300ms</c>).</summary>
    public static string Label(TimeSpan delay)
    {
        if (delay <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(delay), delay, "A retry tier waits a positive delay.");
        }

        var ms = (long)delay.TotalMilliseconds;
        var (value, unit) = ms % 3_600_000 == 0 ? (ms / 3_600_000, "h") : ms % 60_000 == 0 ? (ms / 60_000, "m") : ms % 1000 == 0 ? (ms / 1000, "s") : (ms, "ms");
        return value.ToString(CultureInfo.InvariantCulture) + unit;
    }
}
