using Streaming.Processors;

namespace Streaming.Processors.Tests;

/// <summary>The watchdog's decision: a topology that reports RUNNING or REBALANCING but whose threads stopped polling.</summary>
public sealed class StallDetectorTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void a_poll_count_that_keeps_moving_is_never_a_stall()
    {
        var detector = new StallDetector(TimeSpan.FromSeconds(10));
        for (var s = 0; s <= 120; s += 5)
        {
            Assert.Null(detector.Observe(s, T0.AddSeconds(s)));
        }
    }

    [Fact]
    public void a_poll_count_standing_still_for_the_limit_is_a_stall_and_reports_for_how_long()
    {
        var detector = new StallDetector(TimeSpan.FromSeconds(10));
        Assert.Null(detector.Observe(42, T0));
        Assert.Null(detector.Observe(42, T0.AddSeconds(9.9)));
        Assert.Equal(TimeSpan.FromSeconds(10), detector.Observe(42, T0.AddSeconds(10)));
        Assert.Equal(TimeSpan.FromSeconds(15), detector.Observe(42, T0.AddSeconds(15)));
    }

    [Fact]
    public void any_other_state_resets_the_clock_so_a_long_start_or_shutdown_is_not_a_stall()
    {
        var detector = new StallDetector(TimeSpan.FromSeconds(10));
        Assert.Null(detector.Observe(42, T0));
        Assert.Null(detector.Observe(null, T0.AddSeconds(8))); // e.g. PENDING_SHUTDOWN or CREATED
        Assert.Null(detector.Observe(42, T0.AddSeconds(12)));
        Assert.Null(detector.Observe(42, T0.AddSeconds(21)));
        Assert.NotNull(detector.Observe(42, T0.AddSeconds(22)));
    }
}
