using Streaming.Contracts;
using Streaming.DeliveryLog;
using Streaming.Testing;

namespace Streaming.DeliveryLog.Tests;

/// <summary>What every store of the delivery log must do the same way; each test runs on SQLite and on Cassandra.</summary>
public sealed class DeliveryLogContractTests
{
    public static TheoryData<string> Stores => [DeliveryLogOptions.SqliteStore, DeliveryLogOptions.CassandraStore];

    private static readonly DateTimeOffset Requested = new(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);

    [Theory(Timeout = TestLimits.TimeoutMs)]
    [MemberData(nameof(Stores))]
    public async Task every_field_of_a_row_reads_back_as_written(string store)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var s = await LogStore.StartAsync(store);
        var details = new Dictionary<string, string> { ["host"] = "sender-7", ["topic"] = "notifications.sms", ["partition"] = "3", ["offset"] = "42" };
        var entry = new DeliveryLogEntry("evt-fields-1", Channels.Sms, "+14155550100", Outcomes.Delivered, 2, "u-1", "billing", "twilio",
            "SM123", null, null, Requested, Requested.AddMilliseconds(1500), "billing-service", Forced: true, Details: details);

        await s.Log.AppendAsync(entry, ct);

        var read = Assert.Single(await s.Log.ReadAsync("evt-fields-1", ct));
        Assert.Equal(entry with { Details = null }, read with { Details = null });
        Assert.Equal(details, read.Details);
    }

    [Theory(Timeout = TestLimits.TimeoutMs)]
    [MemberData(nameof(Stores))]
    public async Task was_delivered_is_exact_to_event_channel_and_target_and_to_the_delivered_outcome(string store)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var s = await LogStore.StartAsync(store);
        await s.Log.AppendAsync(Row("e-1", Channels.Sms, "+15550001", Outcomes.Delivered), ct);
        await s.Log.AppendAsync(Row("e-2", Channels.Sms, "+15550002", Outcomes.Retrying), ct);

        Assert.True(await s.Log.WasDeliveredAsync("e-1", Channels.Sms, "+15550001", ct));
        Assert.False(await s.Log.WasDeliveredAsync("e-1", Channels.Email, "+15550001", ct));
        Assert.False(await s.Log.WasDeliveredAsync("e-1", Channels.Sms, "+15550009", ct));
        Assert.False(await s.Log.WasDeliveredAsync("e-2", Channels.Sms, "+15550002", ct));
    }

    [Theory(Timeout = TestLimits.TimeoutMs)]
    [MemberData(nameof(Stores))]
    public async Task the_same_outcome_written_twice_is_one_row_and_distinct_outcomes_are_kept(string store)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var s = await LogStore.StartAsync(store);
        var retrying = Row("e-twice", Channels.Email, "a@example.com", Outcomes.Retrying) with { Attempt = 1 };
        var delivered = Row("e-twice", Channels.Email, "a@example.com", Outcomes.Delivered) with { Attempt = 2, OccurredAt = Requested.AddSeconds(11) };

        await Task.WhenAll(s.Log.AppendAsync(retrying, ct), s.Log.AppendAsync(retrying, ct), s.Log.AppendAsync(delivered, ct));

        Assert.Equal([Outcomes.Retrying, Outcomes.Delivered], (await s.Log.ReadAsync("e-twice", ct)).OrderBy(e => e.OccurredAt).Select(e => e.Outcome));
    }

    [Theory(Timeout = TestLimits.TimeoutMs)]
    [MemberData(nameof(Stores))]
    public async Task many_concurrent_appends_and_checks_all_land_and_see_each_other(string store)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var s = await LogStore.StartAsync(store);
        var answers = await Task.WhenAll(Enumerable.Range(0, 300).Select(async i =>
        {
            await s.Log.AppendAsync(Row($"c-{i}", Channels.Email, $"u{i}@example.com", Outcomes.Delivered), ct);
            return (await s.Log.WasDeliveredAsync($"c-{i}", Channels.Email, $"u{i}@example.com", ct), await s.Log.WasDeliveredAsync($"c-{i}", Channels.Email, "nobody@example.com", ct));
        }));

        Assert.All(answers, a => Assert.Equal((true, false), a));
        Assert.Equal(300, (await s.Log.ReadAllAsync(ct)).Count);
    }

    internal static DeliveryLogEntry Row(string eventId, string channel, string target, string outcome)
        => new(eventId, channel, target, outcome, 1, "u-1", "social", "sendgrid", null, null, null, Requested, Requested.AddSeconds(1), "tests");
}
