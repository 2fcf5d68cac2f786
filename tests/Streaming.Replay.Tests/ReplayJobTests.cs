using System.Text;
using System.Text.Json;
using Confluent.Kafka;
using Confluent.Kafka.SyncOverAsync;
using Streaming.Contracts;
using Streaming.Replay;
using Streaming.Testing;

namespace Streaming.Replay.Tests;

public sealed class ReplayJobTests(LocalStackFixture fx)
{
    private static readonly DateTime Day = new(2026, 11, 20, 0, 0, 0, DateTimeKind.Utc);

    private static DeliveryStatus Status(int i, string outcome, string channel) => new()
    {
        eventId = $"evt-{i:D5}",
        userId = $"user-{i % 7}",
        channel = channel,
        target = channel == "email" ? $"u{i}@example.com" : "+14155550100",
        outcome = outcome,
        category = i % 2 == 0 ? "billing" : "social",
        attempt = 1,
        requestedAt = Day.AddMinutes(i),
        occurredAt = Day.AddMinutes(i).AddSeconds(1),
    };

    /// <summary>Writes statuses with record timestamps spread over three days: day before, the day, day after.</summary>
    private string WriteStatuses(out Dictionary<string, int> onTheDay)
    {
        var topic = fx.NewTopic("status");
        using var registry = fx.NewRegistryClient();
        using var producer = new ProducerBuilder<string, DeliveryStatus>(new ProducerConfig { BootstrapServers = fx.BootstrapServers })
            .SetValueSerializer(AvroSerdes.Serializer<DeliveryStatus>(registry).AsSyncOverAsync()).Build();
        onTheDay = [];
        string[] outcomes = ["delivered", "delivered", "failed", "suppressed"];
        for (var i = 0; i < 300; i++)
        {
            var when = Day.AddHours(-24 + (i * 72.0 / 300)); // -24 h … +48 h
            var outcome = outcomes[i % outcomes.Length];
            producer.Produce(topic, new Message<string, DeliveryStatus>
            {
                Key = $"evt-{i:D5}",
                Value = Status(i, outcome, i % 3 == 0 ? "email" : "sms"),
                Timestamp = new Timestamp(when),
            });
            if (when >= Day && when < Day.AddDays(1))
            {
                onTheDay[outcome] = onTheDay.GetValueOrDefault(outcome) + 1;
            }
        }

        producer.Flush(TimeSpan.FromSeconds(10));
        return topic;
    }

    [Fact(Timeout = TestLimits.TimeoutMs)]
    public async Task a_days_delivery_statuses_export_to_json_lines_with_counts_per_outcome()
    {
        var topic = WriteStatuses(out var expected);
        var file = Path.Combine(Path.GetTempPath(), $"replay-{Guid.NewGuid():N}.jsonl");
        try
        {
            var result = await new ReplayJob(new ReplayOptions
            {
                BootstrapServers = fx.BootstrapServers,
                RegistryUrl = fx.RegistryUrl,
                Topic = topic,
                From = Day,
                To = Day.AddDays(1),
                Output = file,
            }).RunAsync(ct: TestContext.Current.CancellationToken);

            var lines = File.ReadAllLines(file).Select(l => JsonDocument.Parse(l).RootElement).ToList();
            Assert.Equal(expected.Values.Sum(), lines.Count);
            Assert.Equal(expected.OrderBy(kv => kv.Key), result.ByOutcome.OrderBy(kv => kv.Key).Select(kv => KeyValuePair.Create(kv.Key, (int)kv.Value)));
            Assert.All(lines, l =>
            {
                var ts = l.GetProperty("timestamp").GetDateTime();
                Assert.InRange(ts, Day, Day.AddDays(1).AddTicks(-1));
                Assert.StartsWith("evt-", l.GetProperty("value").GetProperty("eventId").GetString());
            });
            Assert.Equal(0, result.Undecodable);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact(Timeout = TestLimits.TimeoutMs)]
    public async Task filters_combine_and_dry_run_only_counts()
    {
        var topic = WriteStatuses(out _);

        var result = await new ReplayJob(new ReplayOptions
        {
            BootstrapServers = fx.BootstrapServers,
            RegistryUrl = fx.RegistryUrl,
            Topic = topic,
            Filter = new ReplayFilter { Outcomes = ["failed"], Channels = ["email"], Users = ["user-3"] },
            DryRun = true,
        }).RunAsync(ct: TestContext.Current.CancellationToken);

        // i % 4 == 2 (failed), i % 3 == 0 (email), i % 7 == 3 (user-3), i < 300
        var expected = Enumerable.Range(0, 300).Count(i => i % 4 == 2 && i % 3 == 0 && i % 7 == 3);
        Assert.Equal(300, result.Read);
        Assert.Equal(expected, result.Matched);
        Assert.Equal(0, result.Written);
        Assert.Equal(expected, result.ByOutcome["failed"]);
    }

    [Fact(Timeout = TestLimits.TimeoutMs)]
    public async Task csv_export_has_a_header_and_one_row_per_record_within_explicit_offsets()
    {
        var topic = WriteStatuses(out _);
        var file = Path.Combine(Path.GetTempPath(), $"replay-{Guid.NewGuid():N}.csv");
        try
        {
            var result = await new ReplayJob(new ReplayOptions
            {
                BootstrapServers = fx.BootstrapServers,
                RegistryUrl = fx.RegistryUrl,
                Topic = topic,
                Partitions = [1],
                FromOffsets = new Dictionary<int, long> { [1] = 5 },
                ToOffsets = new Dictionary<int, long> { [1] = 15 },
                Output = file,
                Format = ReplayFormat.Csv,
            }).RunAsync(ct: TestContext.Current.CancellationToken);

            var lines = File.ReadAllLines(file);
            Assert.StartsWith("topic,partition,offset,timestamp,key,eventId,userId,channel,target,outcome", lines[0]);
            Assert.Equal(10, lines.Length - 1);
            Assert.Equal(10, result.Written);
            Assert.All(lines.Skip(1), l => Assert.Contains($"{topic},1,", l));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact(Timeout = TestLimits.TimeoutMs)]
    public async Task dlq_entries_republish_to_their_original_topic_without_dlq_headers_and_marked_as_replayed()
    {
        var original = fx.NewTopic("orig-sms");
        using (var producer = new ProducerBuilder<string, byte[]>(new ProducerConfig { BootstrapServers = fx.BootstrapServers }).Build())
        {
            for (var i = 0; i < 5; i++)
            {
                producer.Produce(Topics.DeadLetter, new Message<string, byte[]>
                {
                    Key = $"user-{i}",
                    Value = [1, 2, 3, (byte)i],
                    Headers = new Headers
                    {
                        { HeaderNames.DlqReason, "retries-exhausted"u8.ToArray() },
                        { HeaderNames.DlqStage, "sender-sms"u8.ToArray() },
                        { HeaderNames.OriginalTopic, Encoding.UTF8.GetBytes(original) },
                        { HeaderNames.Attempt, "4"u8.ToArray() },
                        { HeaderNames.TraceParent, "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"u8.ToArray() },
                    },
                });
            }

            producer.Flush(TimeSpan.FromSeconds(10));
        }

        var result = await new ReplayJob(new ReplayOptions
        {
            BootstrapServers = fx.BootstrapServers,
            Topic = Topics.DeadLetter,
            Filter = new ReplayFilter { Outcomes = ["dlq:retries-exhausted"] },
            Republish = true,
            Force = true,
        }).RunAsync(ct: TestContext.Current.CancellationToken);

        Assert.Equal(5, result.Republished);
        var replayed = fx.ReadRaw(original, 5);
        Assert.Equal(5, replayed.Count);
        Assert.All(replayed, r =>
        {
            Assert.False(r.Message.Headers.TryGetLastBytes(HeaderNames.DlqReason, out _));
            Assert.False(r.Message.Headers.TryGetLastBytes(HeaderNames.Attempt, out _));
            Assert.True(r.Message.Headers.TryGetLastBytes(HeaderNames.TraceParent, out _)); // the trace continues
            Assert.StartsWith(Topics.DeadLetter + "/", Encoding.UTF8.GetString(r.Message.Headers.GetLastBytes(HeaderNames.ReplayedFrom)));
            Assert.Equal("true", Encoding.UTF8.GetString(r.Message.Headers.GetLastBytes(HeaderNames.ReplayForce)));
        });
    }

    [Fact(Timeout = TestLimits.TimeoutMs)]
    public async Task a_topic_without_a_natural_destination_needs_an_explicit_one()
    {
        var topic = WriteStatuses(out _);

        await Assert.ThrowsAsync<InvalidOperationException>(() => new ReplayJob(new ReplayOptions
        {
            BootstrapServers = fx.BootstrapServers,
            Topic = topic,
            Republish = true,
        }).RunAsync(ct: TestContext.Current.CancellationToken));
    }
}
