namespace Streaming.Producers;

/// <summary>
/// What a service asks for: notify <see cref="UserId"/> about something of <see cref="Category"/>,
/// rendered from <see cref="TemplateId"/>. Validated by <see cref="NotificationValidator"/> before
/// anything reaches Kafka.
/// </summary>
public sealed record NotificationRequest
{
    /// <summary>The recipient user (required); also the Kafka key, so one user's notifications stay ordered.</summary>
    public string? UserId { get; init; }

    /// <summary>Business category, e.g. security, billing, social, marketing (required).</summary>
    public string? Category { get; init; }

    /// <summary>Template to render (required); must belong to <see cref="Category"/>.</summary>
    public string? TemplateId { get; init; }

    /// <summary>Values for the template's placeholders.</summary>
    public IReadOnlyDictionary<string, string>? Parameters { get; init; }

    /// <summary>Channels to use (push, sms, email); empty or null lets the user's preferences decide.</summary>
    public IReadOnlyList<string>? Channels { get; init; }

    /// <summary>low, normal (default), high or critical. high and critical are not held by quiet hours.</summary>
    public string? Priority { get; init; }

    /// <summary>Locale override (BCP 47, e.g. de-DE); null uses the user's profile.</summary>
    public string? Locale { get; init; }

    /// <summary>Email address overriding the profile's.</summary>
    public string? Email { get; init; }

    /// <summary>Phone number (E.164, e.g. +14155550100) overriding the profile's.</summary>
    public string? Phone { get; init; }

    /// <summary>Send no earlier than this instant.</summary>
    public DateTimeOffset? SendAt { get; init; }

    /// <summary>Do not send after this instant.</summary>
    public DateTimeOffset? ExpiresAt { get; init; }

    /// <summary>Push only: a newer notification with the same key replaces an older one still on the device (at most 64 characters).</summary>
    public string? CollapseKey { get; init; }

    /// <summary>Event ID to use; null generates a new one. Reuse an ID only to retry the same request.</summary>
    public string? EventId { get; init; }

    /// <summary>Overrides the publisher's configured source service name.</summary>
    public string? SourceService { get; init; }
}

/// <summary>Where an accepted request was written.</summary>
/// <param name="EventId">The request's event ID; the delivery log is keyed by it.</param>
/// <param name="Topic">Topic written to.</param>
/// <param name="Partition">Partition written to.</param>
/// <param name="Offset">Offset of the record.</param>
public sealed record PublishReceipt(string EventId, string Topic, int Partition, long Offset);
