using Confluent.Kafka;
using Streaming.Contracts;
using Streaming.LocalStack;
using Streaming.Senders.Recording;
using Streaming.Testing;

namespace Streaming.Senders.Tests;

/// <summary>The status recorder: the topology's outcomes reach the delivery log, the senders' are left to them.</summary>
public sealed class StatusRecorderTests(LocalStackFixture fx)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact(Timeout = TestLimits.TimeoutMs)]
    public async Task the_topologys_statuses_become_log_rows_and_a_senders_status_is_not_appended_again()
    {
        var topic = fx.NewTopic("status");
        var suppressed = Status("evt-suppressed-1", Channels.Email, "jane@example.com", Outcomes.Suppressed, "opted-out");
        var deferred = Status("evt-deferred-01", Outcomes.NoChannel, null, Outcomes.Deferred, "quiet-hours");
        var delivered = Status("evt-delivered-1", Channels.Sms, "+4915112345678", Outcomes.Delivered, null, attempt: 1, provider: "twilio");
        await ProduceAsync(topic, suppressed, delivered, deferred);
        var log = new MemoryDeliveryLog();

        await using var recorder = await StartAsync(topic, log);
        await Eventually.TrueAsync(() => recorder.Recorded == 2 && recorder.Skipped == 1, Patience, "two statuses recorded, one skipped");

        var rows = log.Appends;
        Assert.DoesNotContain(rows, e => e.EventId == delivered.eventId);
        var row = Assert.Single(rows, e => e.EventId == suppressed.eventId);
        Assert.Equal((Channels.Email, "jane@example.com", Outcomes.Suppressed, "opted-out", 0), (row.Channel, row.Target, row.Outcome, row.Reason, row.Attempt));
        Assert.Equal(("orders-service", "billing", "user-7"), (row.SourceService, row.Category, row.UserId));
        Assert.Equal(suppressed.requestedAt, row.RequestedAt.UtcDateTime);
        Assert.Equal(topic, row.Details?["topic"]);
        var request = Assert.Single(rows, e => e.EventId == deferred.eventId);
        Assert.Equal((Outcomes.NoChannel, "", Outcomes.Deferred), (request.Channel, request.Target, request.Outcome));
    }

    [Fact(Timeout = TestLimits.TimeoutMs)]
    public async Task a_status_marked_as_logged_by_its_writer_is_passed_over_without_decoding()
    {
        var topic = fx.NewTopic("status");
        using (var producer = new ProducerBuilder<string, byte[]>(LocalProfile.Producer(fx.BootstrapServers)).Build())
        {
            // Not Avro at all: decoding it would count it unreadable, so only the header can make it "skipped".
            var logged = new Headers { { HeaderNames.Logged, "true"u8.ToArray() } };
            await producer.ProduceAsync(topic, new Message<string, byte[]> { Key = "evt-logged-001", Value = "not avro"u8.ToArray(), Headers = logged }, TestContext.Current.CancellationToken);
        }

        var suppressed = Status("evt-suppressed-2", Channels.Email, "jane@example.com", Outcomes.Suppressed, "opted-out");
        await ProduceAsync(topic, suppressed);
        var log = new MemoryDeliveryLog();

        await using var recorder = await StartAsync(topic, log);
        await Eventually.TrueAsync(() => recorder.Recorded == 1 && recorder.Skipped == 1, Patience, "one recorded, the logged one skipped");
        Assert.Equal(0, recorder.Unreadable);
        Assert.Equal(suppressed.eventId, Assert.Single(log.Appends).EventId);
    }

    [Fact(Timeout = TestLimits.TimeoutMs)]
    public async Task an_unavailable_log_holds_the_status_until_it_can_be_appended()
    {
        var topic = fx.NewTopic("status");
        var log = new MemoryDeliveryLog { FailAppends = true };
        await ProduceAsync(topic, Status("evt-held-0001", Outcomes.NoChannel, null, Outcomes.Scheduled, "send-at"));

        await using var recorder = await StartAsync(topic, log);
        await Eventually.TrueAsync(() => log.FailedAppends >= 2, Patience, "the append retried while the log is down");
        Assert.Equal(0, recorder.Recorded);

        log.FailAppends = false;
        await Eventually.TrueAsync(() => recorder.Recorded == 1, Patience, "the status recorded once the log is back");
        Assert.Equal("evt-held-0001", Assert.Single(log.Appends).EventId);
    }

    [Fact(Timeout = TestLimits.TimeoutMs)]
    public async Task a_restarted_recorder_resumes_after_the_statuses_it_committed()
    {
        var topic = fx.NewTopic("status");
        var group = "recorder-" + Guid.NewGuid().ToString("N");
        var log = new MemoryDeliveryLog();
        var first = Enumerable.Range(0, 3).Select(i => Status($"evt-first-{i:D4}", Outcomes.NoChannel, null, Outcomes.Duplicate, "duplicate")).ToArray();
        await ProduceAsync(topic, first);
        await using (var recorder = await StartAsync(topic, log, group))
        {
            await Eventually.TrueAsync(() => recorder.Recorded == 3, Patience, "the first statuses recorded");
        }

        var second = Enumerable.Range(0, 2).Select(i => Status($"evt-second-{i:D4}", Outcomes.NoChannel, null, Outcomes.Expired, "expired")).ToArray();
        await ProduceAsync(topic, second);
        await using (var restarted = await StartAsync(topic, log, group))
        {
            // Once the group committed the end of every partition, the restarted recorder read all it was going to read.
            await Eventually.TrueAsync(() => CommittedTotal(topic, group) == fx.RecordCount(topic), Patience, "the restarted recorder committed the topic's end");
            Assert.Equal(2, restarted.Recorded);
        }

        Assert.Equal([.. first.Select(s => s.eventId), .. second.Select(s => s.eventId)], log.Appends.Select(e => e.EventId).Order());
    }

    private async Task<StatusRecorder> StartAsync(string topic, MemoryDeliveryLog log, string? group = null)
    {
        // The local profile's consumer: auto.offset.reset=error, so a new group has to find its start by itself.
        var options = LocalProfile.StatusRecorder(fx.BootstrapServers, fx.RegistryUrl);
        options.Topic = topic;
        options.GroupId = group ?? "recorder-" + Guid.NewGuid().ToString("N");
        options.CloseTimeout = TimeSpan.FromSeconds(10);
        var recorder = new StatusRecorder(options, log);
        await recorder.StartAsync(TestContext.Current.CancellationToken);
        return recorder;
    }

    /// <summary>The sum of <paramref name="group"/>'s committed offsets on <paramref name="topic"/>, read without joining the group.</summary>
    private long CommittedTotal(string topic, string group)
    {
        using var consumer = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig { BootstrapServers = fx.BootstrapServers, GroupId = group, EnableAutoCommit = false }).Build();
        return consumer.Committed(Enumerable.Range(0, LocalKafkaCluster.PartitionsPerTopic).Select(p => new TopicPartition(topic, p)), TimeSpan.FromSeconds(10))
            .Sum(c => Math.Max(0, c.Offset.Value));
    }

    private static DeliveryStatus Status(string eventId, string channel, string? target, string outcome, string? reason, int attempt = 0, string? provider = null) => new()
    {
        eventId = eventId,
        userId = "user-7",
        channel = channel,
        target = target,
        outcome = outcome,
        reason = reason,
        category = "billing",
        attempt = attempt,
        provider = provider,
        providerMessageId = provider is null ? null : "SM-1",
        sourceService = "orders-service",
        requestedAt = new DateTime(2025, 5, 1, 8, 0, 0, DateTimeKind.Utc),
        occurredAt = DateTime.UtcNow,
    };

    private async Task ProduceAsync(string topic, params DeliveryStatus[] statuses)
    {
        using var registry = fx.NewRegistryClient();
        var serializer = AvroSerdes.Serializer<DeliveryStatus>(registry);
        using var producer = new ProducerBuilder<string, byte[]>(LocalProfile.Producer(fx.BootstrapServers)).Build();
        foreach (var s in statuses)
        {
            var value = await serializer.SerializeAsync(s, new SerializationContext(MessageComponentType.Value, topic));
            await producer.ProduceAsync(topic, new Message<string, byte[]> { Key = s.eventId, Value = value }, TestContext.Current.CancellationToken);
        }
    }
}
