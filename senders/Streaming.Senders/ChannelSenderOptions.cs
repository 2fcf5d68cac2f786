using Confluent.Kafka;
using Streaming.Contracts;

namespace Streaming.Senders;

/// <summary>
/// Settings of one channel sender, bound from "Senders:&lt;channel&gt;" (plus "Kafka:Consumer", "Kafka:Producer" and
/// "SchemaRegistry"). Topic names default to the contract names in <see cref="Topics"/>; tests override them.
/// </summary>
public sealed class ChannelSenderOptions
{
    public const string Section = "Senders";

    /// <summary>apns, fcm, sms or email.</summary>
    public string Channel { get; set; } = "";

    /// <summary>When false the host does not start this channel.</summary>
    public bool Enabled { get; set; } = true;

    public string? Topic { get; set; }
    /// <summary>The name the retry tier topics share (default notifications.&lt;channel&gt;.retry); each tier appends its delay.</summary>
    public string? RetryTopic { get; set; }
    public string? DeadLetterTopic { get; set; }
    public string? StatusTopic { get; set; }
    public string? DevicesTopic { get; set; }

    /// <summary>Consumer group; default "senders-&lt;channel&gt;" (one group per channel).</summary>
    public string? GroupId { get; set; }

    /// <summary>
    /// Delay before each retry-topic attempt: a transient failure of attempt n (1-based) waits RetryDelays[n-1] on that
    /// tier's own topic; after the last one the record is dead-lettered. Total attempts = RetryDelays.Length + 1.
    /// </summary>
    public TimeSpan[] RetryDelays { get; set; } = [.. RetryTiers.Default];

    /// <summary>In-place retries of one attempt (Polly, jittered exponential backoff) before handing to the retry topic.</summary>
    public int InPlaceRetries { get; set; } = 2;

    public TimeSpan InPlaceBaseDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>A Retry-After longer than this is not waited in place: the record goes to the retry topic instead.</summary>
    public TimeSpan MaxInPlaceDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Timeout of one provider call.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Provider calls per second for this sender instance (token bucket); 0 = unlimited.</summary>
    public double RatePerSecond { get; set; } = 500;

    /// <summary>Circuit breaker: opens when this share of calls failed transiently within <see cref="BreakerSamplingDuration"/>.</summary>
    public double BreakerFailureRatio { get; set; } = 0.5;

    public int BreakerMinimumThroughput { get; set; } = 20;

    public TimeSpan BreakerSamplingDuration { get; set; } = TimeSpan.FromSeconds(10);

    public TimeSpan BreakerBreakDuration { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Parallel lanes; one user's records always share a lane, so per-user order holds.</summary>
    public int Lanes { get; set; } = 32;

    /// <summary>
    /// Outcomes per lane that may still be in flight (log row, status record, retry/DLQ record) while the lane already
    /// sends its next record. Offsets only move past a record once its outcome is durable, so this changes speed, not
    /// the at-least-once guarantee. It does widen the crash window: a process killed with deliveries whose log row is
    /// not yet committed re-sends them after the restart, at most <c>Lanes × LaneDepth</c>. 1 makes each send wait for
    /// the previous outcome's acknowledgements (bound: <c>Lanes</c>).
    /// </summary>
    public int LaneDepth { get; set; } = 8;

    /// <summary>Records fetched but not finished before the consumer pauses its partitions (backpressure).</summary>
    public int MaxInFlight { get; set; } = 1000;

    /// <summary>How long shutdown and revocation wait for running work before giving up (unfinished work is not committed).</summary>
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>
    /// How long each librdkafka teardown call at stop (the consumer leaving its group, a client's handle destroyed) may
    /// take before it is abandoned with an error; neither has a timeout of its own (see <see cref="ClientTeardown"/>).
    /// </summary>
    public TimeSpan CloseTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Bound from "Kafka:Consumer" (then "Senders:&lt;channel&gt;:Consumer").</summary>
    public ConsumerConfig Consumer { get; set; } = new();

    /// <summary>Bound from "Kafka:Producer" (then "Senders:&lt;channel&gt;:Producer").</summary>
    public ProducerConfig Producer { get; set; } = new();

    public SchemaRegistryOptions SchemaRegistry { get; set; } = new();

    public string ResolvedTopic => Topic ?? Topics.ForChannel(Channel);
    /// <summary>The retry topic of each tier: <see cref="RetryTopic"/> (else the channel's) with the tier's delay appended.</summary>
    public IReadOnlyList<string> ResolvedRetryTopics => [.. RetryDelays.Select(RetryTopicFor).Distinct()];

    /// <summary>The retry topic of the tier that waits <paramref name="delay"/>.</summary>
    public string RetryTopicFor(TimeSpan delay) => RetryTiers.Topic(RetryTopic ?? Topics.RetryBase(Channel), delay);
    public string ResolvedDeadLetterTopic => DeadLetterTopic ?? Topics.DeadLetter;
    public string ResolvedStatusTopic => StatusTopic ?? Topics.DeliveryStatus;
    public string ResolvedDevicesTopic => DevicesTopic ?? Topics.Devices;
    public string ResolvedGroupId => GroupId ?? $"senders-{Channel}";

    public IEnumerable<string> Validate()
    {
        if (!Topics.SenderChannels.Contains(Channel))
        {
            yield return $"Senders: unknown channel '{Channel}' (apns, fcm, sms, email).";
        }

        if (string.IsNullOrWhiteSpace(Consumer.BootstrapServers))
        {
            yield return "Kafka:Consumer:BootstrapServers is required.";
        }

        if (string.IsNullOrWhiteSpace(SchemaRegistry.Url))
        {
            yield return "SchemaRegistry:Url is required.";
        }

        if (Lanes < 1 || LaneDepth < 1 || MaxInFlight < 1 || InPlaceRetries < 0 || RatePerSecond < 0)
        {
            yield return $"Senders:{Channel}: Lanes, LaneDepth and MaxInFlight must be >= 1, InPlaceRetries and RatePerSecond >= 0.";
        }

        if (RetryDelays.Any(d => d <= TimeSpan.Zero))
        {
            yield return $"Senders:{Channel}:RetryDelays must all be positive (each is a retry tier with its own topic).";
        }
    }
}
