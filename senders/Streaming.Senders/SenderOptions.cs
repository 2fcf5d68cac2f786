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
    public string? RetryTopic { get; set; }
    public string? DeadLetterTopic { get; set; }
    public string? StatusTopic { get; set; }
    public string? DevicesTopic { get; set; }

    /// <summary>Consumer group; default "senders-&lt;channel&gt;" (one group per channel).</summary>
    public string? GroupId { get; set; }

    /// <summary>
    /// Delay before each retry-topic attempt: a transient failure of attempt n (1-based) waits RetryDelays[n-1];
    /// after the last one the record is dead-lettered. Total attempts = RetryDelays.Length + 1.
    /// </summary>
    public TimeSpan[] RetryDelays { get; set; } = [TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(10)];

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
    public string ResolvedRetryTopic => RetryTopic ?? Topics.Retry(Channel);
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
    }
}

/// <summary>Provider endpoints and credentials, bound from "Providers". Credentials come only from configuration or the environment and are never logged.</summary>
public sealed class ProvidersOptions
{
    public const string Section = "Providers";

    public ApnsOptions Apns { get; set; } = new();
    public FcmOptions Fcm { get; set; } = new();
    public TwilioOptions Twilio { get; set; } = new();
    public SendGridOptions SendGrid { get; set; } = new();

    /// <summary>Points every provider at one base URL (the local fakes) and fills throwaway credentials where none are set.</summary>
    public static ProvidersOptions ForBaseUrl(Uri baseUrl, string apnsPrivateKeyPem, string fcmServiceAccountJson) => new()
    {
        Apns = new() { BaseUrl = baseUrl.ToString(), TeamId = "TEAM000001", KeyId = "KEY0000001", PrivateKeyPem = apnsPrivateKeyPem, DefaultTopic = "com.example.app" },
        Fcm = new() { BaseUrl = baseUrl.ToString(), ServiceAccountJson = fcmServiceAccountJson, TokenEndpoint = new Uri(baseUrl, "/token").ToString() },
        Twilio = new() { BaseUrl = baseUrl.ToString(), AccountSid = "AC00000000000000000000000000000000", AuthToken = "local-auth-token", From = "+15005550006", StatusCallbackUrl = new Uri(baseUrl, "/twilio/status").ToString() },
        SendGrid = new() { BaseUrl = baseUrl.ToString(), ApiKey = "SG.local-key", FromEmail = "notifications@example.com", FromName = "Streaming" },
    };
}

public sealed class ApnsOptions
{
    public string BaseUrl { get; set; } = "https://api.push.apple.com";
    public string TeamId { get; set; } = "";
    public string KeyId { get; set; } = "";

    /// <summary>Contents of the .p8 token-auth key (PKCS#8 PEM); or use <see cref="PrivateKeyFile"/>.</summary>
    public string? PrivateKeyPem { get; set; }

    public string? PrivateKeyFile { get; set; }

    /// <summary>apns-topic when the notification carries no app bundle ID.</summary>
    public string DefaultTopic { get; set; } = "";

    /// <summary>Provider tokens are valid 20-60 min at Apple; refresh before that.</summary>
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromMinutes(50);
}

public sealed class FcmOptions
{
    public string BaseUrl { get; set; } = "https://fcm.googleapis.com";

    /// <summary>Service-account JSON contents; or <see cref="ServiceAccountFile"/>.</summary>
    public string? ServiceAccountJson { get; set; }

    public string? ServiceAccountFile { get; set; }

    /// <summary>OAuth2 token endpoint; default the service account's token_uri.</summary>
    public string? TokenEndpoint { get; set; }

    /// <summary>Default the service account's project_id.</summary>
    public string? ProjectId { get; set; }
}

public sealed class TwilioOptions
{
    public string BaseUrl { get; set; } = "https://api.twilio.com";
    public string AccountSid { get; set; } = "";
    public string AuthToken { get; set; } = "";
    public string? From { get; set; }
    public string? MessagingServiceSid { get; set; }

    /// <summary>Twilio posts delivery receipts here; the event ID is appended as ?eventId=.</summary>
    public string? StatusCallbackUrl { get; set; }
}

public sealed class SendGridOptions
{
    public string BaseUrl { get; set; } = "https://api.sendgrid.com";
    public string ApiKey { get; set; } = "";
    public string FromEmail { get; set; } = "";
    public string? FromName { get; set; }
}
