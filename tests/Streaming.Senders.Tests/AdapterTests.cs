using Streaming.Contracts;
using Streaming.Testing;

namespace Streaming.Senders.Tests;

/// <summary>
/// Each adapter through a real sender against the fakes: success, transient → retry topic → success, permanent
/// (invalid target) → failed (+ device tombstone for push), 429 Retry-After honoured, expired never sent.
/// One sender per adapter keeps the suite to one group join (~3 s) per class; the classes run in parallel.
/// </summary>
internal static class AdapterScenario
{
    public const string Faults = "fail-first=2,fail-first-prefix=flaky,429-first=1,429-first-prefix=throttle,retry-after=400ms";

    public static async Task RunAsync(LocalStackFixture fx, string channel, string ok, string invalid, string flaky, string throttled, string invalidReason)
    {
        await using var h = await SenderRig.StartAsync(fx, channel, Faults);
        var okN = TestNotifications.For(channel, ok, user: "u-ok");
        var invalidN = TestNotifications.For(channel, invalid, user: "u-invalid");
        var flakyN = TestNotifications.For(channel, flaky, user: "u-flaky");
        var throttledN = TestNotifications.For(channel, throttled, user: "u-throttled");
        var expiredN = TestNotifications.For(channel, ok, user: "u-expired", expiresAt: DateTime.UtcNow.AddMinutes(-1));

        await h.ProduceAsync(okN, invalidN, flakyN, throttledN, expiredN);
        await h.WaitAsync(s => s.Delivered == 3 && s.Failed == 1 && s.Expired == 1, "3 delivered, 1 failed, 1 expired");

        var finals = (await h.FinalOutcomesAsync()).ToDictionary(e => e.EventId);
        Assert.Equal(5, finals.Count);
        Assert.Equal(("delivered", 1), (finals[okN.eventId].Outcome, finals[okN.eventId].Attempt));
        Assert.NotNull(finals[okN.eventId].ProviderMessageId);
        Assert.Equal(("failed", invalidReason), (finals[invalidN.eventId].Outcome, finals[invalidN.eventId].Reason));
        Assert.Equal(("delivered", 2), (finals[flakyN.eventId].Outcome, finals[flakyN.eventId].Attempt)); // via the retry topic
        Assert.Equal(("delivered", 1), (finals[throttledN.eventId].Outcome, finals[throttledN.eventId].Attempt));
        Assert.Equal("expired", finals[expiredN.eventId].Outcome);

        // Every outcome is also a DeliveryStatus keyed by event ID: 5 final + 1 retrying (the flaky one's first attempt).
        var statuses = h.Statuses(6);
        Assert.Equal(6, statuses.Count);
        Assert.All(statuses, s => Assert.Equal(s.Value!.eventId, s.Raw.Message.Key));
        Assert.Contains(statuses, s => s.Value!.eventId == flakyN.eventId && s.Value.outcome == "retrying" && s.Value.attempt == 1);

        // The flaky record went through the first tier's retry topic with attempt and not-before headers.
        var retry = Assert.Single(h.Raw(h.Options.RetryTopicFor(h.Options.RetryDelays[0]), 1));
        Assert.Equal("2", System.Text.Encoding.ASCII.GetString(retry.Message.Headers.GetLastBytes(HeaderNames.Attempt)));
        var requests = h.Fakes.Requests;
        var flakyCalls = requests.Where(r => r.EventId == flakyN.eventId).OrderBy(r => r.At).ToList();
        Assert.Equal([503, 503, 200], flakyCalls.Select(r => r.Status));
        Assert.True(flakyCalls[2].At - flakyCalls[1].At >= TimeSpan.FromMilliseconds(280), $"retry tier waited only {flakyCalls[2].At - flakyCalls[1].At}");

        // 429 with Retry-After: 400 ms was waited before the next call.
        var throttledCalls = requests.Where(r => r.EventId == throttledN.eventId).OrderBy(r => r.At).ToList();
        Assert.Equal([429, 200], throttledCalls.Select(r => r.Status));
        Assert.True(throttledCalls[1].At - throttledCalls[0].At >= TimeSpan.FromMilliseconds(380), $"Retry-After honoured only {throttledCalls[1].At - throttledCalls[0].At}");

        Assert.DoesNotContain(requests, r => r.EventId == expiredN.eventId);
        Assert.Equal(0, h.Fakes.Duplicates);

        if (channel is Channels.Apns or Channels.Fcm)
        {
            var t = Assert.Single(h.Raw(h.Options.DevicesTopic!, 1));
            Assert.Equal(Topics.DeviceKey("u-invalid", invalid), t.Message.Key);
            Assert.Null(t.Message.Value);
        }
        else
        {
            Assert.Equal(0, fx.RecordCount(h.Options.DevicesTopic!)); // a bad phone number or address is not a device
        }
    }
}

public sealed class ApnsAdapterTests(LocalStackFixture fx)
{
    [Fact(Timeout = TestLimits.TimeoutMs)]
    public Task apns_delivers_retries_transient_honours_retry_after_and_tombstones_unregistered_tokens()
        => AdapterScenario.RunAsync(fx, Channels.Apns, "a0b1c2d3e4f5a0b1c2d3e4f5", "invalid-a0b1c2", "flaky-a0b1c2", "throttle-a0b1c2", "invalid-token");
}

public sealed class FcmAdapterTests(LocalStackFixture fx)
{
    [Fact(Timeout = TestLimits.TimeoutMs)]
    public Task fcm_delivers_retries_transient_honours_retry_after_and_tombstones_unregistered_tokens()
        => AdapterScenario.RunAsync(fx, Channels.Fcm, "fcm-token-ok", "invalid-fcm-token", "flaky-fcm-token", "throttle-fcm-token", "invalid-token");
}

public sealed class TwilioAdapterTests(LocalStackFixture fx)
{
    [Fact(Timeout = TestLimits.TimeoutMs)]
    public Task sms_delivers_retries_transient_honours_retry_after_and_fails_invalid_numbers()
        => AdapterScenario.RunAsync(fx, Channels.Sms, "+4915112345678", "invalid+4915100000000", "flaky+4915100000001", "throttle+4915100000002", "invalid-phone");
}

public sealed class SendGridAdapterTests(LocalStackFixture fx)
{
    [Fact(Timeout = TestLimits.TimeoutMs)]
    public Task email_delivers_retries_transient_honours_retry_after_and_fails_invalid_addresses()
        => AdapterScenario.RunAsync(fx, Channels.Email, "ok@example.com", "invalid@example.com", "flaky@example.com", "throttle@example.com", "invalid-email");
}
