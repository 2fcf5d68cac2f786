using Streaming.Contracts;
using Streaming.ProviderFakes;
using Streaming.Senders.Providers;
using Streaming.Testing;

namespace Streaming.Senders.Tests;

/// <summary>What each adapter puts on the wire, checked at the fake without Kafka.</summary>
public sealed class ProviderRequestTests : IAsyncLifetime
{
    private FakeProviders fakes = null!;
    private ProvidersOptions providers = null!;

    public async ValueTask InitializeAsync()
    {
        fakes = await FakeProviders.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        providers = ProvidersOptions.ForBaseUrl(fakes.BaseUrl, FakeProviders.ApnsPrivateKeyPem(), fakes.FcmServiceAccountJson());
    }

    public async ValueTask DisposeAsync() => await fakes.DisposeAsync();

    [Fact]
    public async Task apns_sends_http2_with_an_es256_token_and_the_apns_headers()
    {
        using var apns = ProviderFactory.Create(Channels.Apns, providers);
        var n = TestNotifications.For(Channels.Apns, "a0b1c2d3e4f5", expiresAt: new DateTime(2030, 1, 1, 0, 0, 0, DateTimeKind.Utc));
        n.priority = "high";
        n.collapseKey = "chat-42";

        var result = await apns.SendAsync(n, TestContext.Current.CancellationToken);

        Assert.Equal(ProviderOutcome.Delivered, result.Outcome);
        var d = Assert.Single(fakes.Requests).Details;
        Assert.Equal("HTTP/2", d["protocol"]);
        Assert.Equal("ES256", d["authorization-alg"]);
        Assert.Equal(n.eventId, d["apns-id"]);
        Assert.Equal("10", d["apns-priority"]);
        Assert.Equal("chat-42", d["apns-collapse-id"]);
        Assert.Equal("1893456000", d["apns-expiration"]);
        Assert.Equal("com.example.app", d["apns-topic"]);
    }

    [Fact]
    public async Task a_web_device_gets_a_webpush_block_with_urgency_ttl_tag_and_link_and_no_android_block()
    {
        using var fcm = ProviderFactory.Create(Channels.Fcm, providers);
        var n = TestNotifications.For(Channels.Fcm, "fcm-web-token-1", expiresAt: DateTime.UtcNow.AddHours(1));
        n.platform = "web";
        n.priority = "high";
        n.collapseKey = "chat-42";
        n.data["link"] = "https://app.example.com/chats/42";

        Assert.Equal(ProviderOutcome.Delivered, (await fcm.SendAsync(n, TestContext.Current.CancellationToken)).Outcome);

        var d = Assert.Single(fakes.Requests).Details;
        Assert.Equal(("present", "absent"), (d["webpush"], d["android"]));
        Assert.Equal(("high", "Hello", "chat-42", "https://app.example.com/chats/42"), (d["webpush.urgency"], d["webpush.title"], d["webpush.tag"], d["webpush.link"]));
        Assert.InRange(int.Parse(d["webpush.ttl"], System.Globalization.CultureInfo.InvariantCulture), 3500, 3600);
    }

    [Fact]
    public async Task a_web_push_without_a_link_of_its_own_opens_the_configured_page_for_its_event_and_an_android_device_gets_no_webpush()
    {
        using var fcm = ProviderFactory.Create(Channels.Fcm, providers);
        var web = TestNotifications.For(Channels.Fcm, "fcm-web-token-2");
        web.platform = "web";
        var android = TestNotifications.For(Channels.Fcm, "fcm-android-token-1");

        await fcm.SendAsync(web, TestContext.Current.CancellationToken);
        await fcm.SendAsync(android, TestContext.Current.CancellationToken);

        var requests = fakes.Requests.ToDictionary(r => r.EventId!);
        Assert.Equal(($"https://app.example.com/notifications/{web.eventId}", "normal", ""), (requests[web.eventId].Details["webpush.link"], requests[web.eventId].Details["webpush.urgency"], requests[web.eventId].Details["webpush.ttl"]));
        Assert.Equal(("absent", "present"), (requests[android.eventId].Details["webpush"], requests[android.eventId].Details["android"]));
    }

    [Fact]
    public async Task the_fakes_count_a_repeated_event_channel_and_target_as_a_duplicate_and_nothing_else()
    {
        var ct = TestContext.Current.CancellationToken;
        using var email = ProviderFactory.Create(Channels.Email, providers);
        var first = TestNotifications.For(Channels.Email, "dup@example.com");
        var other = TestNotifications.For(Channels.Email, "other@example.com");
        var sameEventOtherTarget = TestNotifications.For(Channels.Email, "second@example.com");
        sameEventOtherTarget.eventId = first.eventId;

        foreach (var n in new[] { first, other, sameEventOtherTarget, first, first })
        {
            Assert.Equal(ProviderOutcome.Delivered, (await email.SendAsync(n, ct)).Outcome);
        }

        Assert.Equal(2, fakes.Duplicates); // the 4th and 5th calls repeat (email, first.eventId, dup@example.com)
        Assert.Equal((Channels.Email, first.eventId, "dup@example.com"), Assert.Single(fakes.DuplicateKeys));
        Assert.Equal(5, fakes.Delivered(Channels.Email));
        Assert.Equal(0, fakes.Delivered(Channels.Sms));
        Assert.Equal(5, fakes.RequestCount);
        Assert.Equal(5, fakes.Requests.Count);
    }

    [Fact]
    public async Task fcm_fetches_one_oauth_token_from_the_configured_endpoint_and_reuses_it()
    {
        using var fcm = ProviderFactory.Create(Channels.Fcm, providers);
        for (var i = 0; i < 3; i++)
        {
            var result = await fcm.SendAsync(TestNotifications.For(Channels.Fcm, $"fcm-token-{i}"), TestContext.Current.CancellationToken);
            Assert.Equal(ProviderOutcome.Delivered, result.Outcome);
            Assert.StartsWith("projects/demo-project/messages/", result.MessageId);
        }

        Assert.Equal(1, fakes.TokenRequests);
        Assert.Equal("NORMAL", fakes.Requests[0].Details["android.priority"]);
    }

    [Fact]
    public async Task sendgrid_carries_the_event_id_in_custom_args_and_the_dedup_header()
    {
        using var email = ProviderFactory.Create(Channels.Email, providers);
        var n = TestNotifications.For(Channels.Email, "jane@example.com");

        var result = await email.SendAsync(n, TestContext.Current.CancellationToken);

        Assert.Equal(ProviderOutcome.Delivered, result.Outcome);
        Assert.NotNull(result.MessageId);
        var r = Assert.Single(fakes.Requests);
        Assert.Equal(n.eventId, r.EventId); // custom_args.event_id
        Assert.Equal(n.eventId, r.Details["X-Entity-Ref-ID"]);
        Assert.Equal("Hello", r.Details["subject"]);
    }

    [Fact]
    public async Task twilio_goes_to_the_configured_base_url_with_the_event_id_on_the_status_callback()
    {
        using var sms = ProviderFactory.Create(Channels.Sms, providers);
        var n = TestNotifications.For(Channels.Sms, "+4915112345678");

        var result = await sms.SendAsync(n, TestContext.Current.CancellationToken);

        Assert.Equal(ProviderOutcome.Delivered, result.Outcome);
        Assert.StartsWith("SM", result.MessageId);
        var r = Assert.Single(fakes.Requests);
        Assert.Equal(n.eventId, r.EventId);
        Assert.Equal("+15005550006", r.Details["From"]);
        Assert.StartsWith(new Uri(fakes.BaseUrl, "/twilio/status").ToString(), r.Details["StatusCallback"]);
    }

    [Fact]
    public async Task errors_are_classified_transient_or_permanent()
    {
        using var sms = ProviderFactory.Create(Channels.Sms, providers);
        fakes.SetFaults("outage=on");
        var down = await sms.SendAsync(TestNotifications.For(Channels.Sms, "+4915112345678"), TestContext.Current.CancellationToken);
        fakes.SetFaults("429=1,retry-after=3s");
        var limited = await sms.SendAsync(TestNotifications.For(Channels.Sms, "+4915112345679"), TestContext.Current.CancellationToken);
        fakes.SetFaults("none");
        var invalid = await sms.SendAsync(TestNotifications.For(Channels.Sms, "invalid-number"), TestContext.Current.CancellationToken);

        Assert.Equal(ProviderOutcome.Transient, down.Outcome);
        Assert.Equal((ProviderOutcome.Transient, "rate-limited", TimeSpan.FromSeconds(3)), (limited.Outcome, limited.Reason, limited.RetryAfter!.Value));
        Assert.Equal((ProviderOutcome.InvalidTarget, "invalid-phone"), (invalid.Outcome, invalid.Reason));
    }

    [Fact]
    public void apns_id_is_the_event_id_when_it_is_a_uuid_and_a_stable_uuid_otherwise()
    {
        var g = Guid.NewGuid().ToString();
        Assert.Equal(g, ApnsProvider.ApnsId(g));
        Assert.Equal(ApnsProvider.ApnsId("evt-42"), ApnsProvider.ApnsId("evt-42"));
        Assert.True(Guid.TryParse(ApnsProvider.ApnsId("evt-42"), out _));
    }
}
