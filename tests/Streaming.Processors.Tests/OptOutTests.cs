using Streaming.Contracts;
using Streaming.Testing;
using static Streaming.Processors.Tests.TopologyHarness;

namespace Streaming.Processors.Tests;

/// <summary>Opt-outs and unsubscribes: suppressed with a status, except for mandatory categories.</summary>
public sealed class OptOutTests(LocalStackFixture fx)
{
    [Fact(Timeout = TestLimits.TimeoutMs)]
    public void opted_out_sms_is_suppressed_with_a_status_and_email_is_still_sent()
    {
        using var h = new TopologyHarness(fx);
        h.User("u-optout");
        h.Prefs("u-optout", p => p.rules = [new ChannelRule { category = "social", channel = Channels.Sms, optedIn = false }]);

        h.Send(Request("u-optout", "evt-optout-1", Channels.Sms, Channels.Email));

        Assert.Empty(Drain(h.Sms));
        Assert.Single(Drain(h.Email));
        var status = Assert.Single(Drain(h.Statuses)).Message.Value;
        Assert.Equal(("suppressed", "opted-out", "sms", "+14155550100"), (status.outcome, status.reason, status.channel, status.target));
    }

    [Fact(Timeout = TestLimits.TimeoutMs)]
    public void the_most_specific_rule_wins_over_a_wildcard_opt_out()
    {
        using var h = new TopologyHarness(fx);
        h.User("u-specific");
        h.Prefs("u-specific", p => p.rules =
        [
            new ChannelRule { category = "social", channel = Channels.Email, optedIn = true },
            new ChannelRule { category = "*", channel = "*", optedIn = false },
        ]);

        h.Send(Request("u-specific", "evt-specific", Channels.Sms, Channels.Email));

        Assert.Single(Drain(h.Email));
        Assert.Equal("opted-out", Assert.Single(Drain(h.Statuses)).Message.Value.reason);
    }

    [Fact(Timeout = TestLimits.TimeoutMs)]
    public void mandatory_category_bypasses_opt_outs_and_global_unsubscribe()
    {
        using var h = new TopologyHarness(fx);
        h.User("u-mandatory");
        h.Prefs("u-mandatory", p =>
        {
            p.unsubscribedAll = true;
            p.rules = [new ChannelRule { category = "*", channel = "*", optedIn = false }];
        });

        h.Send(Request("u-mandatory", "evt-mand-01", Channels.Sms));
        h.Send(Security(Request("u-mandatory", "evt-mand-02", Channels.Sms)));

        Assert.Equal("evt-mand-02", Assert.Single(Drain(h.Sms)).Message.Value.eventId);
        var suppressed = Assert.Single(Drain(h.Statuses)).Message.Value;
        Assert.Equal(("evt-mand-01", "suppressed", "unsubscribed"), (suppressed.eventId, suppressed.outcome, suppressed.reason));
    }

    [Fact(Timeout = TestLimits.TimeoutMs)]
    public void automatic_request_for_an_unsubscribed_user_is_suppressed_not_dropped()
    {
        using var h = new TopologyHarness(fx);
        h.User("u-unsub");
        h.Prefs("u-unsub", p => p.unsubscribedAll = true);

        h.Send(Request("u-unsub", "evt-unsub-01"));

        Assert.Empty(Drain(h.Email));
        var status = Assert.Single(Drain(h.Statuses)).Message.Value;
        Assert.Equal(("suppressed", "unsubscribed", "email"), (status.outcome, status.reason, status.channel));
    }
}
