namespace Streaming.Processors.Tests;

/// <summary>How often the supervisor may replace a topology that went into ERROR after it ran.</summary>
public sealed class ErrorReplacementBudgetTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void the_replacement_past_the_limit_within_the_window_is_refused()
    {
        var budget = new ErrorReplacementBudget(3, TimeSpan.FromMinutes(10));
        Assert.True(budget.TryTake(T0));
        Assert.True(budget.TryTake(T0.AddMinutes(1)));
        Assert.True(budget.TryTake(T0.AddMinutes(2)));
        Assert.False(budget.TryTake(T0.AddMinutes(9)));
    }

    [Fact]
    public void replacements_older_than_the_window_no_longer_count()
    {
        var budget = new ErrorReplacementBudget(3, TimeSpan.FromMinutes(10));
        Assert.True(budget.TryTake(T0));
        Assert.True(budget.TryTake(T0.AddMinutes(1)));
        Assert.True(budget.TryTake(T0.AddMinutes(2)));
        Assert.True(budget.TryTake(T0.AddMinutes(10).AddSeconds(1))); // the first one left the window
        Assert.False(budget.TryTake(T0.AddMinutes(10).AddSeconds(2)));
    }
}
