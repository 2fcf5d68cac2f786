namespace Streaming.Cql.Requests;

/// <summary>
/// Client-side write timestamps in microseconds since the epoch, strictly increasing within the session so two
/// writes issued in the same microsecond still order as issued.
/// </summary>
internal sealed class TimestampGenerator(TimeProvider clock)
{
    private long _last;

    public long Next()
    {
        while (true)
        {
            var last = Volatile.Read(ref _last);
            var now = (clock.GetUtcNow().UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10;
            var next = Math.Max(now, last + 1);
            if (Interlocked.CompareExchange(ref _last, next, last) == last)
            {
                return next;
            }
        }
    }
}
