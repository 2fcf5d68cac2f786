using System.Net;
using System.Text.Json;
using Streaming.Contracts;
using Streaming.DeliveryLog;
using Streaming.Testing;

namespace Streaming.Producers.Tests;

/// <summary>What a status read answers: the summary, the request-level outcome and one masked line per target.</summary>
public sealed class StatusBodyTests(LocalStackFixture fx) : ApiTest(fx)
{
    private static readonly DateTimeOffset T0 = new(2025, 5, 1, 8, 0, 0, TimeSpan.Zero);

    [Fact(Timeout = TestLimits.TimeoutMs)]
    public async Task the_body_summarises_each_target_with_its_latest_outcome_and_masked_target()
    {
        const string id = "evt-body-shape-0001";
        DeliveryLogEntry Row(string channel, string target, string outcome, int attempt, int seconds, string? provider = null, string? messageId = null, string? reason = null)
            => new(id, channel, target, outcome, attempt, "user-9", "social", provider, messageId, reason, Error: "raw error quoting " + target,
                RequestedAt: T0, OccurredAt: T0.AddSeconds(seconds), SourceService: "account-service");
        foreach (var row in new[]
        {
            Row(Outcomes.NoChannel, "", Outcomes.Accepted, 0, 0),
            Row(Outcomes.NoChannel, "", Outcomes.Deferred, 0, 1, reason: "quiet-hours"),
            Row(Channels.Sms, "+4915112345678", Outcomes.Retrying, 1, 10, "twilio", reason: "provider-unavailable"),
            Row(Channels.Email, "jane.doe@example.com", Outcomes.Delivered, 1, 11, "sendgrid", "sg-123"),
            Row(Channels.Sms, "+4915112345678", Outcomes.Failed, 2, 20, "twilio", reason: "rejected"),
        })
        {
            await Api.Log.AppendAsync(row, TestContext.Current.CancellationToken);
        }

        using var response = await Api.GetStatusAsync(id);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain("jane.doe", text, StringComparison.Ordinal);
        Assert.DoesNotContain("5112345", text, StringComparison.Ordinal);
        Assert.DoesNotContain("raw error", text, StringComparison.Ordinal);

        var body = JsonDocument.Parse(text).RootElement;
        Assert.Equal(id, body.GetProperty("eventId").GetString());
        Assert.Equal(("user-9", "social", "account-service"), (body.GetProperty("userId").GetString(), body.GetProperty("category").GetString(), body.GetProperty("sourceService").GetString()));
        Assert.Equal(T0, body.GetProperty("requestedAt").GetDateTimeOffset());
        Assert.Equal("partially_delivered", body.GetProperty("state").GetString());
        var request = body.GetProperty("request");
        Assert.Equal(("deferred", "quiet-hours", T0.AddSeconds(1)), (request.GetProperty("outcome").GetString(), request.GetProperty("reason").GetString(), request.GetProperty("at").GetDateTimeOffset()));

        var targets = body.GetProperty("targets").EnumerateArray().ToList();
        Assert.Equal(2, targets.Count);
        var sms = targets.Single(t => t.GetProperty("channel").GetString() == Channels.Sms);
        Assert.Equal(Pii.Mask("+4915112345678"), sms.GetProperty("target").GetString());
        Assert.Equal(("failed", "rejected", "twilio", 2), (sms.GetProperty("outcome").GetString(), sms.GetProperty("reason").GetString(), sms.GetProperty("provider").GetString(), sms.GetProperty("attempts").GetInt32()));
        Assert.Equal((T0.AddSeconds(10), T0.AddSeconds(20)), (sms.GetProperty("firstAt").GetDateTimeOffset(), sms.GetProperty("lastAt").GetDateTimeOffset()));
        var email = targets.Single(t => t.GetProperty("channel").GetString() == Channels.Email);
        Assert.Equal(("j***@example.com", "delivered", "sendgrid", "sg-123", 1, false), (email.GetProperty("target").GetString(), email.GetProperty("outcome").GetString(),
            email.GetProperty("provider").GetString(), email.GetProperty("providerMessageId").GetString(), email.GetProperty("attempts").GetInt32(), email.GetProperty("forced").GetBoolean()));
    }

    [Fact(Timeout = TestLimits.TimeoutMs)]
    public async Task a_notification_with_only_its_acceptance_reads_accepted_without_request_or_targets()
    {
        await Api.Log.AppendAsync(new DeliveryLogEntry("evt-just-accepted", Outcomes.NoChannel, "", Outcomes.Accepted, 0, "u1", "billing", RequestedAt: T0, OccurredAt: T0, SourceService: "account-service"), TestContext.Current.CancellationToken);

        using var response = await Api.GetStatusAsync("evt-just-accepted");
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).RootElement;

        Assert.Equal("accepted", body.GetProperty("state").GetString());
        Assert.False(body.TryGetProperty("request", out _));
        Assert.Empty(body.GetProperty("targets").EnumerateArray());
    }
}
