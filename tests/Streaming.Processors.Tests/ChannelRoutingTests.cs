using Streaming.Contracts;
using Streaming.Testing;
using static Streaming.Processors.Tests.TopologyHarness;

namespace Streaming.Processors.Tests;

/// <summary>Which channels and addresses a request goes to: requested, automatic, devices, overrides.</summary>
public sealed class ChannelRoutingTests(LocalStackFixture fx)
{
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
    public void a_collapse_key_and_a_link_go_to_push_messages_only()
    {
        using var h = new TopologyHarness(fx);
        h.User("u-collapse");
        h.Device("u-collapse", "ios-token-c001", "ios");
        var request = Request("u-collapse", "evt-collapse-1", Channels.Push, Channels.Email);
        request.collapseKey = "chat-42";
        request.templateParameters["link"] = "https://app.example.com/chats/42";

        h.Send(request);

        var push = Assert.Single(Drain(h.Apns)).Message.Value;
        var email = Assert.Single(Drain(h.Email)).Message.Value;
        Assert.Equal(("chat-42", "https://app.example.com/chats/42"), (push.collapseKey, push.data["link"]));
        Assert.Null(email.collapseKey);
        Assert.False(email.data.ContainsKey("link"));
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
}
