namespace Streaming.Bench;

/// <summary>Disposes a part of the platform with a deadline, so a stage whose measurement is taken cannot hang the bench.</summary>
internal static class BoundedDispose
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    /// <summary>
    /// A Streamiz consumer's close can hang for good inside librdkafka on the embedded cluster (rebalance_protocol called
    /// from the revoke callback during consumer_close); the bench says so and moves on.
    /// </summary>
    public static async Task WithinAsync(Func<ValueTask> dispose, string what)
    {
        var disposing = Task.Run(async () => await dispose());
        if (await Task.WhenAny(disposing, Task.Delay(Deadline)) != disposing)
        {
            BenchReport.Say($"warning: {what} did not stop within 30 s (a known librdkafka close hang on the embedded cluster); moving on.");
        }
        else
        {
            await disposing;
        }
    }
}
