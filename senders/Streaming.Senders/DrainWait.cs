using System.Diagnostics;

namespace Streaming.Senders;

/// <summary>The blocking waits of a drain (rebalance callback, shutdown on the poll thread), each bounded by a deadline.</summary>
internal static class DrainWait
{
    /// <summary>Waits while <paramref name="busy"/> holds, until <paramref name="limit"/> has passed on <paramref name="clock"/>.</summary>
    public static void While(Func<bool> busy, Stopwatch clock, TimeSpan limit)
    {
        while (busy() && clock.Elapsed < limit)
        {
            Thread.Sleep(5);
        }
    }
}
