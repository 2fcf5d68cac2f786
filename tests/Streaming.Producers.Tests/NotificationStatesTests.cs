using Streaming.Api;

namespace Streaming.Producers.Tests;

/// <summary>The summary state of a notification, from its targets' latest outcomes and its latest request-level outcome.</summary>
public sealed class NotificationStatesTests
{
    [Theory]
    [InlineData("", null, "accepted")]
    [InlineData("", "deferred", "held")]
    [InlineData("", "scheduled", "held")]
    [InlineData("", "duplicate", "duplicate")]
    [InlineData("", "dead_lettered", "dead_lettered")]
    [InlineData("", "expired", "expired")]
    [InlineData("delivered,retrying", null, "in_progress")]
    [InlineData("delivered,delivered", "deferred", "delivered")]
    [InlineData("delivered,failed", null, "partially_delivered")]
    [InlineData("delivered,suppressed", null, "partially_delivered")]
    [InlineData("suppressed,suppressed", null, "suppressed")]
    [InlineData("expired", null, "expired")]
    [InlineData("failed,dead_lettered", null, "dead_lettered")]
    [InlineData("failed,suppressed", null, "failed")]
    [InlineData("delivered", "duplicate", "delivered")]
    public void the_state_follows_the_targets_once_they_have_outcomes_and_the_request_before(string targets, string? request, string state)
        => Assert.Equal(state, NotificationStates.Of(targets.Split(',', StringSplitOptions.RemoveEmptyEntries), request));

    [Fact]
    public void every_state_is_listed_once()
        => Assert.Equal(NotificationStates.All.Count, NotificationStates.All.Distinct().Count());
}
