namespace Streaming.Testing;

/// <summary>Polling with a deadline instead of sleeping: the one way tests wait for something to happen.</summary>
public static class Eventually
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(25);

    public static Task TrueAsync(Func<bool> condition, TimeSpan timeout, string what)
        => TrueAsync(() => Task.FromResult(condition()), timeout, what);

    /// <summary>Waits until <paramref name="condition"/> holds; throws a <see cref="TimeoutException"/> naming <paramref name="what"/> after <paramref name="timeout"/>.</summary>
    public static async Task TrueAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out after {timeout} waiting for: {what}");
            }

            await Task.Delay(Interval);
        }
    }
}
