namespace Streaming.Contracts;

/// <summary>
/// Every Kafka topic name of the platform. This is the contract between hosts: nothing else
/// spells a topic name.
/// </summary>
public static class Topics
{
    /// <summary>Incoming requests (NotificationRequested, key = userId).</summary>
    public const string Requested = "notifications.requested";

    /// <summary>Compacted user profiles (UserProfile, key = userId).</summary>
    public const string Users = "users";

    /// <summary>Compacted device registrations (UserDevice, key = "{userId}/{token}").</summary>
    public const string Devices = "devices";

    /// <summary>Compacted preferences (UserPreferences, key = userId).</summary>
    public const string Preferences = "preferences";

    /// <summary>Compacted templates (NotificationTemplate, key = "{templateId}/{locale}").</summary>
    public const string Templates = "templates";

    /// <summary>APNs channel (ChannelNotification, key = userId).</summary>
    public const string PushApns = "notifications.push.apns";

    /// <summary>FCM channel for Android and web tokens (ChannelNotification, key = userId).</summary>
    public const string PushFcm = "notifications.push.fcm";

    /// <summary>SMS channel (ChannelNotification, key = userId).</summary>
    public const string Sms = "notifications.sms";

    /// <summary>Email channel (ChannelNotification, key = userId).</summary>
    public const string Email = "notifications.email";

    /// <summary>Dead letters of every stage; the reason travels in headers (see <see cref="HeaderNames"/>).</summary>
    public const string DeadLetter = "notifications.dlq";

    /// <summary>Every outcome (DeliveryStatus, key = eventId).</summary>
    public const string DeliveryStatus = "notifications.delivery-status";

    /// <summary>The name the retry tiers of a channel's sender share, e.g. notifications.sms.retry (see <see cref="RetryTiers"/>).</summary>
    public static string RetryBase(string channel) => $"notifications.{channel}.retry";

    /// <summary>The retry topic of a channel's tier, e.g. notifications.sms.retry.10s.</summary>
    public static string Retry(string channel, TimeSpan delay) => RetryTiers.Topic(RetryBase(channel), delay);

    /// <summary>The retry topics of a channel's sender for <paramref name="delays"/> (default: <see cref="RetryTiers.Default"/>).</summary>
    public static IReadOnlyList<string> RetryTopics(string channel, IEnumerable<TimeSpan>? delays = null)
        => [.. (delays ?? RetryTiers.Default).Select(d => Retry(channel, d)).Distinct()];

    /// <summary>The channel whose retry tier <paramref name="topic"/> is, or null when it is no retry topic.</summary>
    public static string? ChannelOfRetryTopic(string topic)
        => SenderChannels.FirstOrDefault(c => topic.StartsWith(RetryBase(c) + ".", StringComparison.Ordinal) || topic == RetryBase(c));

    /// <summary>The channel names used in ChannelNotification.channel and DeliveryStatus.channel.</summary>
    public static readonly IReadOnlyList<string> SenderChannels = [Channels.Apns, Channels.Fcm, Channels.Sms, Channels.Email];

    /// <summary>Topic of a sender channel (apns, fcm, sms, email).</summary>
    public static string ForChannel(string channel) => channel switch
    {
        Channels.Apns => PushApns,
        Channels.Fcm => PushFcm,
        Channels.Sms => Sms,
        Channels.Email => Email,
        _ => throw new ArgumentOutOfRangeException(nameof(channel), channel, "Unknown channel"),
    };

    /// <summary>All topics the platform owns, in creation order (the local stack creates them at start).</summary>
    public static IReadOnlyList<string> All { get; } =
    [
        Requested, Users, Devices, Preferences, Templates,
        PushApns, PushFcm, Sms, Email,
        .. RetryTopics(Channels.Apns), .. RetryTopics(Channels.Fcm), .. RetryTopics(Channels.Sms), .. RetryTopics(Channels.Email),
        DeadLetter, DeliveryStatus,
    ];

    /// <summary>Compacted topics (cleanup.policy=compact on a real cluster).</summary>
    public static IReadOnlyList<string> Compacted { get; } = [Users, Devices, Preferences, Templates];

    /// <summary>The key of a device record on <see cref="Devices"/>.</summary>
    public static string DeviceKey(string userId, string token) => $"{userId}/{token}";

    /// <summary>The key of a template record on <see cref="Templates"/>.</summary>
    public static string TemplateKey(string templateId, string locale) => $"{templateId}/{locale}";
}

/// <summary>Channel names: what a request asks for (push, sms, email) and what senders deliver (apns, fcm, sms, email).</summary>
public static class Channels
{
    public const string Push = "push";
    public const string Sms = "sms";
    public const string Email = "email";
    public const string Apns = "apns";
    public const string Fcm = "fcm";

    /// <summary>Channels a request may name.</summary>
    public static readonly IReadOnlyList<string> Requestable = [Push, Sms, Email];
}

/// <summary>Kafka header names carried by the platform's records.</summary>
public static class HeaderNames
{
    /// <summary>W3C trace context, so one trace spans API → topology → sender.</summary>
    public const string TraceParent = "traceparent";
    public const string TraceState = "tracestate";

    /// <summary>Service that published the request.</summary>
    public const string SourceService = "x-source-service";

    /// <summary>Event ID of the request, on every derived record.</summary>
    public const string EventId = "x-event-id";

    /// <summary>Why a record was dead-lettered (machine-readable, e.g. deserialization-failed).</summary>
    public const string DlqReason = "x-dlq-reason";

    /// <summary>Human-readable detail of the dead-letter reason.</summary>
    public const string DlqError = "x-dlq-error";

    /// <summary>Stage that dead-lettered it (validate, enrich, sender-sms, ...).</summary>
    public const string DlqStage = "x-dlq-stage";

    public const string OriginalTopic = "x-original-topic";
    public const string OriginalPartition = "x-original-partition";
    public const string OriginalOffset = "x-original-offset";

    /// <summary>Delivery attempt count on retry topics.</summary>
    public const string Attempt = "x-attempt";

    /// <summary>Unix milliseconds before which a retry record must not be processed.</summary>
    public const string NotBefore = "x-not-before";

    /// <summary>Set by `streaming replay` on re-published records: "{topic}/{partition}/{offset}" of the original.</summary>
    public const string ReplayedFrom = "x-replayed-from";

    /// <summary>"true" when a replay was run with --force: senders deliver even if the delivery log says delivered.</summary>
    public const string ReplayForce = "x-replay-force";

    /// <summary>
    /// "true" on a DeliveryStatus whose writer appended it to the delivery log itself (the senders do), so the status
    /// recorder passes it over without decoding it.
    /// </summary>
    public const string Logged = "x-delivery-logged";
}
