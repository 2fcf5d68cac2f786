using Streaming.Contracts;
using Streaming.Testing;
using static Streaming.Processors.Tests.TopologyHarness;

namespace Streaming.Processors.Tests;

/// <summary>The eventId dedup: one output per eventId within the horizon, and the index purged after it.</summary>
public sealed class DedupTests(LocalStackFixture fx)
{
    [Fact(Timeout = TestLimits.TimeoutMs)]
    public void duplicate_event_id_produces_one_output_and_a_duplicate_status()
    {
        using var h = new TopologyHarness(fx);
        h.User("u-dup");

        h.Send(Request("u-dup", "evt-dup-0001", Channels.Sms));
        h.Advance(TimeSpan.FromHours(1));
        h.Send(Request("u-dup", "evt-dup-0001", Channels.Sms));

        Assert.Single(Drain(h.Sms));
        var status = Assert.Single(Drain(h.Statuses));
        Assert.Equal("evt-dup-0001", status.Message.Key);
        Assert.Equal(("duplicate", "duplicate-event-id"), (status.Message.Value.outcome, status.Message.Value.reason));
    }

    [Fact(Timeout = TestLimits.TimeoutMs)]
    public void the_same_event_id_after_the_dedup_horizon_is_processed_again()
    {
        using var h = new TopologyHarness(fx);
        h.User("u-horizon");

        h.Send(Request("u-horizon", "evt-horizon-1", Channels.Sms));
        h.Advance(TimeSpan.FromHours(24) + TimeSpan.FromSeconds(1));
        h.Send(Request("u-horizon", "evt-horizon-1", Channels.Sms));

        Assert.Equal(2, Drain(h.Sms).Count);
        Assert.Empty(Drain(h.Statuses));
    }

    [Fact(Timeout = TestLimits.TimeoutMs)]
    public void remembered_event_ids_are_purged_once_past_the_horizon()
    {
        using var h = new TopologyHarness(fx);
        h.User("u-purge");
        h.Send(Request("u-purge", "evt-purge-01", Channels.Sms));
        var store = h.Driver.GetKeyValueStore<string, long>(NotificationTopology.DedupStore);
        Assert.Equal(2, store.All().Count()); // id:evt-purge-01 and its time-index entry

        h.Advance(TimeSpan.FromHours(23));
        Assert.Equal(2, store.All().Count());

        h.Advance(TimeSpan.FromHours(1) + TimeSpan.FromMinutes(1));
        Assert.Empty(store.All());
    }

    [Fact(Timeout = TestLimits.TimeoutMs)]
    public void a_request_dead_lettered_for_an_unknown_user_goes_through_when_re_published_after_the_user_exists()
    {
        using var h = new TopologyHarness(fx);
        h.Send(Request("u-late", "evt-late-user1", Channels.Sms));
        Assert.Equal("unknown-recipient", Header(Assert.Single(h.Dlq.ReadKeyValueList()).Message.Headers, HeaderNames.DlqReason));
        Drain(h.Statuses);

        h.User("u-late");
        h.Advance(TimeSpan.FromMinutes(5));
        h.Send(Request("u-late", "evt-late-user1", Channels.Sms));

        Assert.Equal("evt-late-user1", Assert.Single(Drain(h.Sms)).Message.Value.eventId);
        Assert.DoesNotContain(Drain(h.Statuses), s => s.Message.Value.outcome == Outcomes.Duplicate);

        // Now it has an outcome: a further copy is a real duplicate.
        h.Send(Request("u-late", "evt-late-user1", Channels.Sms));
        Assert.Empty(Drain(h.Sms));
        Assert.Equal(Outcomes.Duplicate, Assert.Single(Drain(h.Statuses)).Message.Value.outcome);
    }

    [Fact(Timeout = TestLimits.TimeoutMs)]
    public void a_request_dead_lettered_for_a_broken_template_goes_through_once_the_template_is_fixed()
    {
        using var h = new TopologyHarness(fx);
        h.User("u-tpl-fix");
        h.Template("new-comment", "en", "social", "{% if %}");
        h.Send(Request("u-tpl-fix", "evt-tpl-fix01", Channels.Email));
        Assert.Equal("template-error", Header(Assert.Single(h.Dlq.ReadKeyValueList()).Message.Headers, HeaderNames.DlqReason));

        h.Template("new-comment", "en", "social", "{{ params.author }} commented");
        h.Send(Request("u-tpl-fix", "evt-tpl-fix01", Channels.Email));

        Assert.Single(Drain(h.Email));
        Assert.Empty(h.Dlq.ReadKeyValueList());
    }
}
