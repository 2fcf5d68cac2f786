using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Text;
using Confluent.Kafka;
using Streaming.Contracts;
using Streaming.Testing;
using static Streaming.Processors.Tests.TopologyHarness;

namespace Streaming.Processors.Tests;

/// <summary>Every rule of the topology, in a TopologyTestDriver with a fake clock.</summary>
public sealed class TopologyTests(LocalStackFixture fx)
{
    private static string Header(Headers headers, string name) => Encoding.UTF8.GetString(headers.GetLastBytes(name));

    [Fact(Timeout = TestLimits.TimeoutMs)]
    public void request_for_a_known_user_is_rendered_and_sent_on_the_requested_channel_keyed_by_user()
    {
        using var h = new TopologyHarness(fx);
        h.User("u-render", name: "Ada");

        h.Send(Request("u-render", "evt-render-01", Channels.Email));

        var email = Assert.Single(Drain(h.Email));
        Assert.Equal("u-render", email.Message.Key);
        var m = email.Message.Value;
        Assert.Equal(("email", "user@example.com", "en"), (m.channel, m.target, m.locale));
        Assert.Equal("Bob commented", m.subject);
        Assert.Equal("Bob commented on your post: Nice!", m.body);
        Assert.Null(m.title); // titles are for push
        Assert.Equal(Start.UtcDateTime, m.routedAt);
        Assert.Empty(Drain(h.Statuses));
        Assert.Empty(h.Dlq.ReadKeyValueList());
    }

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

    [Theory(Timeout = TestLimits.TimeoutMs)]
    [InlineData("unknown-category")]
    [InlineData("invalid-priority")]
    [InlineData("unknown-channel")]
    [InlineData("invalid-event-id")]
    [InlineData("key-mismatch")]
    [InlineData("template-category-mismatch")]
    public void invalid_requests_are_dead_lettered_at_validation_with_their_reason(string reason)
    {
        using var h = new TopologyHarness(fx);
        h.User("u-valid");
        var request = Request("u-valid", "evt-valid-01", Channels.Email);
        var key = "u-valid";
        switch (reason)
        {
            case "unknown-category": request.category = "gossip"; break;
            case "invalid-priority": request.priority = "urgent!"; break;
            case "unknown-channel": request.channels = ["pigeon"]; break;
            case "invalid-event-id": request.eventId = "bad id"; break;
            case "key-mismatch": key = "someone-else"; break;
            case "template-category-mismatch": request.templateId = "login-alert"; break;
        }

        h.Send(Encoding.UTF8.GetBytes(key), request);

        var dead = Assert.Single(h.Dlq.ReadKeyValueList());
        Assert.Equal((reason, "validate"), (Header(dead.Message.Headers, HeaderNames.DlqReason), Header(dead.Message.Headers, HeaderNames.DlqStage)));
        Assert.Empty(Drain(h.Email));
    }

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
    public void user_with_two_ios_and_one_android_device_gets_three_push_messages()
    {
        using var h = new TopologyHarness(fx);
        h.User("u-push");
        h.Device("u-push", "ios-token-0001", "ios");
        h.Device("u-push", "ios-token-0002", "ios");
        h.Device("u-push", "android-token-1", "android");
        h.Device("u-push", "ios-token-gone", "ios");
        h.Devices.PipeInput(Topics.DeviceKey("u-push", "ios-token-gone"), null!); // removed device: tombstone
        h.Device("u-push-other", "ios-token-9999", "ios"); // another user whose ID shares the prefix

        h.Send(Request("u-push", "evt-push-001", Channels.Push));

        var apns = Drain(h.Apns).Select(r => r.Message.Value).ToList();
        var fcm = Assert.Single(Drain(h.Fcm)).Message.Value;
        Assert.Equal(["ios-token-0001", "ios-token-0002"], apns.Select(m => m.target).Order());
        Assert.All(apns, m => Assert.Equal(("apns", "ios", "New comment"), (m.channel, m.platform, m.title)));
        Assert.Equal(("fcm", "android-token-1", "android"), (fcm.channel, fcm.target, fcm.platform));
    }

    [Fact(Timeout = TestLimits.TimeoutMs)]
    public void automatic_channel_is_the_first_reachable_allowed_one_in_the_users_order()
    {
        using var h = new TopologyHarness(fx);
        h.User("u-auto", phone: null);
        h.Prefs("u-auto", p =>
        {
            p.channelOrder = [Channels.Sms, Channels.Push, Channels.Email]; // no phone, no device: email
        });
        h.User("u-auto-default"); // no preferences: platform order push, email, sms; no device → email

        h.Send(Request("u-auto", "evt-auto-001"));
        h.Send(Request("u-auto-default", "evt-auto-002"));

        Assert.Equal(["evt-auto-001", "evt-auto-002"], Drain(h.Email).Select(r => r.Message.Value.eventId));
        Assert.Empty(Drain(h.Sms));
    }

    [Fact(Timeout = TestLimits.TimeoutMs)]
    public void addresses_in_the_request_override_the_profile()
    {
        using var h = new TopologyHarness(fx);
        h.User("u-override", email: "old@example.com", phone: "+14155550100");
        var request = Request("u-override", "evt-override", Channels.Email, Channels.Sms);
        request.email = "new@example.com";
        request.phone = "+442071838750";

        h.Send(request);

        Assert.Equal("new@example.com", Assert.Single(Drain(h.Email)).Message.Value.target);
        Assert.Equal("+442071838750", Assert.Single(Drain(h.Sms)).Message.Value.target);
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

    [Fact(Timeout = TestLimits.TimeoutMs)]
    public void template_is_rendered_in_the_users_locale_falling_back_to_language_then_default()
    {
        using var h = new TopologyHarness(fx);
        h.User("u-de", locale: "de-DE", name: "Grete");
        h.User("u-fr", locale: "fr-FR", name: "Jean");

        h.Send(Security(Request("u-de", "evt-locale-1", Channels.Email)));
        h.Send(Security(Request("u-fr", "evt-locale-2", Channels.Email)));

        var mails = Drain(h.Email).Select(r => r.Message.Value).ToList();
        Assert.Equal(("de", "Hallo Grete, soeben gab es eine neue Anmeldung von iPhone."), (mails[0].locale, mails[0].body));
        Assert.Equal(("en", "Hi Jean, a new sign-in from iPhone just happened."), (mails[1].locale, mails[1].body));
    }

    [Fact(Timeout = TestLimits.TimeoutMs)]
    public void templates_from_the_topic_override_the_catalogue_per_locale_and_may_be_new()
    {
        using var h = new TopologyHarness(fx);
        h.User("u-tpl-en", name: "Ann");
        h.User("u-tpl-de", locale: "de-DE", name: "Jörg");
        h.Template("new-comment", "de", "social", "{{ params.author }} hat kommentiert: {{ params.snippet }}", "Neuer Kommentar");
        h.Template("flash-sale", "default", "marketing", "Hi {{ user.name }}, {{ params.percent }}% off today.");

        h.Send(Request("u-tpl-en", "evt-tpl-0001", Channels.Email)); // catalogue (en)
        h.Send(Request("u-tpl-de", "evt-tpl-0002", Channels.Email)); // topic (de) over catalogue fallback (en)
        var sale = Request("u-tpl-en", "evt-tpl-0003", Channels.Email);
        sale.category = "marketing";
        sale.templateId = "flash-sale";
        sale.templateParameters = new Dictionary<string, string> { ["percent"] = "20" };
        h.Send(sale); // only in the topic

        var mails = Drain(h.Email).Select(r => r.Message.Value).ToList();
        Assert.Equal("Bob commented on your post: Nice!", mails[0].body);
        Assert.Equal(("de", "Neuer Kommentar", "Bob hat kommentiert: Nice!"), (mails[1].locale, mails[1].subject, mails[1].body));
        Assert.Equal("Hi Ann, 20% off today.", mails[2].body);
        Assert.Empty(h.Dlq.ReadKeyValueList());
    }

    [Fact(Timeout = TestLimits.TimeoutMs)]
    public void a_broken_template_on_the_topic_dead_letters_its_requests_at_render()
    {
        using var h = new TopologyHarness(fx);
        h.User("u-tpl-bad");
        h.Template("new-comment", "en", "social", "{% if %}");

        h.Send(Request("u-tpl-bad", "evt-tpl-bad1", Channels.Email));

        var dead = Assert.Single(h.Dlq.ReadKeyValueList());
        Assert.Equal(("template-error", "render"), (Header(dead.Message.Headers, HeaderNames.DlqReason), Header(dead.Message.Headers, HeaderNames.DlqStage)));
    }

    [Fact(Timeout = TestLimits.TimeoutMs)]
    public void poison_bytes_go_to_the_dlq_with_reason_and_the_next_record_is_still_processed()
    {
        var counted = 0L;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (i, l) =>
        {
            if (i.Meter.Name == ProcessorMetrics.MeterName && i.Name == ProcessorMetrics.DeadLettered)
            {
                l.EnableMeasurementEvents(i);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, v, tags, _) =>
        {
            if (tags.ToArray().Any(t => t is { Key: "reason", Value: "deserialization-failed" }))
            {
                Interlocked.Add(ref counted, v);
            }
        });
        listener.Start();
        using var h = new TopologyHarness(fx);
        h.User("u-poison");

        h.RawRequests.PipeInput(Encoding.UTF8.GetBytes("u-poison"), [0xde, 0xad, 0xbe, 0xef, 0x00, 0x01], new Headers { { "x-custom", [1] } });
        h.Send(Request("u-poison", "evt-after-poison", Channels.Email));

        var dead = Assert.Single(h.Dlq.ReadKeyValueList());
        Assert.Equal([0xde, 0xad, 0xbe, 0xef, 0x00, 0x01], dead.Message.Value);
        Assert.Equal("u-poison", Encoding.UTF8.GetString(dead.Message.Key));
        Assert.Equal("deserialization-failed", Header(dead.Message.Headers, HeaderNames.DlqReason));
        Assert.Equal("validate", Header(dead.Message.Headers, HeaderNames.DlqStage));
        Assert.Equal(Topics.Requested, Header(dead.Message.Headers, HeaderNames.OriginalTopic));
        Assert.Equal("0", Header(dead.Message.Headers, HeaderNames.OriginalOffset));
        Assert.NotNull(dead.Message.Headers.GetLastBytes(HeaderNames.OriginalPartition));
        Assert.Equal([1], dead.Message.Headers.GetLastBytes("x-custom")); // original headers kept
        Assert.Equal("evt-after-poison", Assert.Single(Drain(h.Email)).Message.Value.eventId);
        listener.RecordObservableInstruments();
        Assert.True(Interlocked.Read(ref counted) >= 1);
    }

    [Fact(Timeout = TestLimits.TimeoutMs)]
    public void unknown_user_goes_to_the_dlq_as_unknown_recipient_with_a_status()
    {
        using var h = new TopologyHarness(fx);

        h.Send(Request("u-nobody", "evt-nobody-1", Channels.Email));

        var dead = Assert.Single(h.Dlq.ReadKeyValueList());
        Assert.Equal("unknown-recipient", Header(dead.Message.Headers, HeaderNames.DlqReason));
        Assert.Equal("enrich", Header(dead.Message.Headers, HeaderNames.DlqStage));
        Assert.Equal("evt-nobody-1", Header(dead.Message.Headers, HeaderNames.EventId));
        var status = Assert.Single(Drain(h.Statuses)).Message.Value;
        Assert.Equal(("dead_lettered", "unknown-recipient", "none"), (status.outcome, status.reason, status.channel));
    }

    [Fact(Timeout = TestLimits.TimeoutMs)]
    public void unknown_template_and_missing_address_are_dead_lettered_with_their_reason()
    {
        using var h = new TopologyHarness(fx);
        h.User("u-invalid", phone: null);
        var unknownTemplate = Request("u-invalid", "evt-invalid-1", Channels.Email);
        unknownTemplate.templateId = "no-such-template";

        h.Send(unknownTemplate);
        h.Send(Request("u-invalid", "evt-invalid-2", Channels.Sms));

        var reasons = h.Dlq.ReadKeyValueList().Select(r => Header(r.Message.Headers, HeaderNames.DlqReason)).ToList();
        Assert.Equal(["unknown-template", "no-recipient-address"], reasons);
    }

    [Fact(Timeout = TestLimits.TimeoutMs)]
    public void a_requested_channel_without_address_fails_alone_and_the_others_are_sent()
    {
        using var h = new TopologyHarness(fx);
        h.User("u-partial", phone: null);

        h.Send(Request("u-partial", "evt-partial-1", Channels.Sms, Channels.Email));

        Assert.Single(Drain(h.Email));
        var status = Assert.Single(Drain(h.Statuses)).Message.Value;
        Assert.Equal(("failed", "no-address", "sms"), (status.outcome, status.reason, status.channel));
        Assert.Empty(h.Dlq.ReadKeyValueList());
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

    [Fact(Timeout = TestLimits.TimeoutMs)]
    public void channel_messages_carry_the_requests_trace_context_and_event_id()
    {
        using var h = new TopologyHarness(fx);
        h.User("u-trace");
        const string traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

        h.Send(Request("u-trace", "evt-trace-01", Channels.Sms), traceparent);

        var sms = Assert.Single(Drain(h.Sms));
        Assert.Equal(traceparent, Header(sms.Message.Headers, HeaderNames.TraceParent));
        Assert.Equal("evt-trace-01", Header(sms.Message.Headers, HeaderNames.EventId));
    }

    [Fact(Timeout = TestLimits.TimeoutMs)]
    public void with_tracing_on_the_routing_span_is_a_child_of_the_request_and_parent_of_the_message()
    {
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == ProcessorMetrics.MeterName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(listener);
        using var h = new TopologyHarness(fx);
        h.User("u-span");

        h.Send(Request("u-span", "evt-span-001", Channels.Sms), "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");

        var traceparent = Header(Assert.Single(Drain(h.Sms)).Message.Headers, HeaderNames.TraceParent);
        Assert.StartsWith("00-4bf92f3577b34da6a3ce929d0e0e4736-", traceparent); // same trace
        Assert.DoesNotContain("00f067aa0ba902b7", traceparent); // the topology's own span
    }

    private static NotificationRequested Security(NotificationRequested request)
    {
        request.category = "security";
        request.templateId = "login-alert";
        request.templateParameters = new Dictionary<string, string> { ["device"] = "iPhone" };
        return request;
    }
}
