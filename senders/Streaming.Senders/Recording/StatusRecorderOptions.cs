using Confluent.Kafka;
using Streaming.Contracts;

namespace Streaming.Senders.Recording;

/// <summary>
/// Settings of the <see cref="StatusRecorder"/>, bound from "StatusRecorder" (plus "Kafka:Consumer" and "SchemaRegistry").
/// </summary>
public sealed class StatusRecorderOptions
{
    public const string Section = "StatusRecorder";

    /// <summary>The default consumer group; the lag monitor watches it under this name.</summary>
    public const string DefaultGroupId = "delivery-log-recorder";

    /// <summary>When false the host does not start the recorder (another host of the fleet runs it).</summary>
    public bool Enabled { get; set; } = true;

    public string GroupId { get; set; } = DefaultGroupId;

    /// <summary>The status topic; default <see cref="Topics.DeliveryStatus"/> (tests use their own).</summary>
    public string? Topic { get; set; }

    /// <summary>Status records read before their appends are awaited together and their offsets stored.</summary>
    public int MaxBatch { get; set; } = 500;

    /// <summary>Longest wait between two attempts of an append the log refused as unavailable.</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long each librdkafka teardown call at stop may take before it is abandoned (see <see cref="ClientTeardown"/>).</summary>
    public TimeSpan CloseTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Bound from "Kafka:Consumer" (then "StatusRecorder:Consumer").</summary>
    public ConsumerConfig Consumer { get; set; } = new();

    public SchemaRegistryOptions SchemaRegistry { get; set; } = new();

    public string ResolvedTopic => Topic ?? Topics.DeliveryStatus;

    public IEnumerable<string> Validate()
    {
        if (string.IsNullOrWhiteSpace(Consumer.BootstrapServers))
        {
            yield return "Kafka:Consumer:BootstrapServers is required.";
        }

        if (string.IsNullOrWhiteSpace(SchemaRegistry.Url))
        {
            yield return "SchemaRegistry:Url is required.";
        }

        if (string.IsNullOrWhiteSpace(GroupId) || MaxBatch < 1 || MaxRetryDelay <= TimeSpan.Zero)
        {
            yield return "StatusRecorder: GroupId is required, MaxBatch must be >= 1 and MaxRetryDelay positive.";
        }
    }

    /// <summary>
    /// The consumer's settings: offsets stored by hand once a batch's appends are durable, and committed by librdkafka
    /// (at-least-once; the appends are idempotent, so a batch read again after a crash adds nothing).
    /// </summary>
    public ConsumerConfig ConsumerConfig() => StoredOffsets.Config(Consumer, GroupId);
}
