using Streaming.Contracts;
using Streaming.Testing;
using static Streaming.Processors.Tests.TopologyHarness;

namespace Streaming.Processors.Tests;

/// <summary>Held requests (sendAt, quiet hours) and expiry: held with a status, released once when due.</summary>
public sealed class SchedulingTests(LocalStackFixture fx)
{
    [Fact(Timeout = TestLimits.TimeoutMs)]
    public void quiet_hours_defer_a_normal_request_and_release_it_at_the_end_of_the_window()
    {
        using var h = new TopologyHarness(fx);
        h.User("u-quiet", timeZone: "America/New_York");
        h.Prefs("u-quiet", p => p.quietHours = new QuietHours { start = "22:00", end = "07:00", timeZone = "America/New_York" });
        // 03:00 UTC on 3 March = 22:00 in New York (EST, UTC-5): the window has just begun and ends at 12:00 UTC.
        h.Time.SetUtcNow(new DateTimeOffset(2026, 3, 3, 3, 0, 0, TimeSpan.Zero));

        h.Send(Request("u-quiet", "evt-quiet-01", Channels.Sms));
        var deferred = Assert.Single(Drain(h.Statuses)).Message.Value;
        Assert.Equal(("deferred", "quiet-hours", "none"), (deferred.outcome, deferred.reason, deferred.channel));

        h.Advance(TimeSpan.FromHours(9) - TimeSpan.FromSeconds(1)); // 11:59:59 UTC, still quiet
        Assert.Empty(Drain(h.Sms));

        h.Advance(TimeSpan.FromSeconds(1)); // 12:00:00 UTC = 07:00 New York
        var released = Assert.Single(Drain(h.Sms)).Message.Value;
        Assert.Equal("evt-quiet-01", released.eventId);
        Assert.Equal(new DateTime(2026, 3, 3, 12, 0, 0, DateTimeKind.Utc), released.routedAt);
        Assert.Empty(Drain(h.Statuses));

        h.Advance(TimeSpan.FromMinutes(5)); // released once, not again
        Assert.Empty(Drain(h.Sms));
    }

    [Fact(Timeout = TestLimits.TimeoutMs)]
    public void high_priority_requests_are_not_held_by_quiet_hours()
    {
        using var h = new TopologyHarness(fx);
        h.User("u-urgent");
        h.Prefs("u-urgent", p => p.quietHours = new QuietHours { start = "00:00", end = "23:59", timeZone = "UTC" });

        var request = Request("u-urgent", "evt-urgent-1", Channels.Sms);
        request.priority = "high";
        h.Send(request);

        Assert.Single(Drain(h.Sms));
        Assert.Empty(Drain(h.Statuses));
    }

    [Fact(Timeout = TestLimits.TimeoutMs)]
    public void scheduled_send_is_held_and_released_when_due()
    {
        using var h = new TopologyHarness(fx);
        h.User("u-sched");
        var request = Request("u-sched", "evt-sched-01", Channels.Email);
        request.sendAt = Start.AddMinutes(30).UtcDateTime;

        h.Send(request, traceparent: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
        var scheduled = Assert.Single(Drain(h.Statuses)).Message.Value;
        Assert.Equal(("scheduled", "send-at"), (scheduled.outcome, scheduled.reason));
        Assert.Empty(Drain(h.Email));

        h.Advance(TimeSpan.FromMinutes(29));
        Assert.Empty(Drain(h.Email));

        h.Advance(TimeSpan.FromMinutes(1));
        var email = Assert.Single(Drain(h.Email));
        Assert.Equal("evt-sched-01", email.Message.Value.eventId);
        // The trace context of the request survives the wait in the store.
        Assert.Equal("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", Header(email.Message.Headers, HeaderNames.TraceParent));
        Assert.Equal("evt-sched-01", Header(email.Message.Headers, HeaderNames.EventId));
    }

    [Fact(Timeout = TestLimits.TimeoutMs)]
    public void expired_request_gets_an_expired_status_and_no_message()
    {
        using var h = new TopologyHarness(fx);
        h.User("u-expired");
        var request = Request("u-expired", "evt-expired-1", Channels.Email);
        request.expiresAt = Start.AddSeconds(-1).UtcDateTime;

        h.Send(request);

        Assert.Empty(Drain(h.Email));
        var status = Assert.Single(Drain(h.Statuses)).Message.Value;
        Assert.Equal(("expired", "expired"), (status.outcome, status.reason));
    }

    [Fact(Timeout = TestLimits.TimeoutMs)]
    public void a_held_request_that_expires_before_release_ends_as_expired()
    {
        using var h = new TopologyHarness(fx);
        h.User("u-hold-expire");
        var request = Request("u-hold-expire", "evt-hold-exp", Channels.Email);
        request.sendAt = Start.AddMinutes(10).UtcDateTime;
        request.expiresAt = Start.AddMinutes(10).UtcDateTime;

        h.Send(request);
        h.Advance(TimeSpan.FromMinutes(10));

        Assert.Empty(Drain(h.Email));
        Assert.Equal(["scheduled", "expired"], Drain(h.Statuses).Select(s => s.Message.Value.outcome));
    }
}
