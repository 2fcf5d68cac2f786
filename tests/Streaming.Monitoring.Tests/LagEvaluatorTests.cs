using Streaming.Monitoring;

namespace Streaming.Monitoring.Tests;

public sealed class LagEvaluatorTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static (GroupStatus Status, string Reason) Feed(LagEvaluator e, params (long Committed, long High)[] samples)
    {
        (GroupStatus, string) last = default;
        for (var i = 0; i < samples.Length; i++)
        {
            var (c, h) = samples[i];
            last = e.Evaluate("g", [new PartitionLag("t", 0, c, h, h - c, 0)], T0.AddSeconds(i));
        }

        return last;
    }

    [Fact]
    public void lag_growing_over_the_whole_window_while_committing_is_warn()
        => Assert.Equal(GroupStatus.Warn, Feed(new LagEvaluator(4, 10), (10, 20), (12, 25), (14, 30), (16, 35)).Status);

    [Fact]
    public void commits_stuck_while_lag_is_positive_is_stall()
        => Assert.Equal(GroupStatus.Stall, Feed(new LagEvaluator(4, 10), (10, 20), (10, 20), (10, 21), (10, 25)).Status);

    [Fact]
    public void zero_lag_anywhere_in_the_window_is_ok()
        => Assert.Equal(GroupStatus.Ok, Feed(new LagEvaluator(4, 10), (10, 20), (20, 20), (21, 25), (22, 30)).Status);

    [Fact]
    public void lag_that_goes_up_and_down_while_committing_is_ok()
        => Assert.Equal(GroupStatus.Ok, Feed(new LagEvaluator(4, 10), (10, 20), (15, 30), (28, 31), (30, 35)).Status);

    [Fact]
    public void a_window_that_is_not_full_yet_stays_ok()
        => Assert.Equal(GroupStatus.Ok, Feed(new LagEvaluator(4, 10), (10, 20), (10, 30)).Status);

    [Fact]
    public void a_group_without_any_committed_offset_is_stop()
    {
        var e = new LagEvaluator(4, 10);
        var (status, _) = e.Evaluate("g", [new PartitionLag("t", 0, -1001, 50, 50, 0), new PartitionLag("t", 1, -1001, 7, 7, 0)], T0);
        Assert.Equal(GroupStatus.Stop, status);
    }

    [Fact]
    public void lag_seconds_is_how_long_ago_the_watermark_passed_the_committed_offset()
    {
        var e = new LagEvaluator(4, 100);
        e.RecordWatermark("t", 0, 0, T0);
        e.RecordWatermark("t", 0, 100, T0.AddSeconds(10));
        e.RecordWatermark("t", 0, 200, T0.AddSeconds(20));

        // Offset 150 was written halfway between the 10 s and 20 s samples → 15 s after T0.
        Assert.Equal(15, e.LagSeconds("t", 0, 150, 200, T0.AddSeconds(30)), 3);
        Assert.Equal(0, e.LagSeconds("t", 0, 200, 200, T0.AddSeconds(30)));
    }
}
