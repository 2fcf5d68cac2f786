using Confluent.Kafka;
using Confluent.Kafka.SyncOverAsync;
using Streaming.Contracts;
using Streaming.Testing;

namespace Streaming.Replay.Tests;

/// <summary>A fresh topic of 300 delivery statuses whose record timestamps span three days around <see cref="Day"/>.</summary>
internal static class StatusTopic
{
    public static readonly DateTime Day = new(2026, 11, 20, 0, 0, 0, DateTimeKind.Utc);

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
    public static string Write(LocalStackFixture fx, out Dictionary<string, int> onTheDay)
    {
        var topic = fx.NewTopic("status");
        using var registry = fx.NewRegistryClient();
        using var producer = new ProducerBuilder<string, DeliveryStatus>(new ProducerConfig { BootstrapServers = fx.BootstrapServers })
            .SetValueSerializer(AvroSerdes.Serializer<DeliveryStatus>(registry).AsSyncOverAsync()).Build();
        onTheDay = [];
        string[] outcomes = [Outcomes.Delivered, Outcomes.Delivered, Outcomes.Failed, Outcomes.Suppressed];
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
}
