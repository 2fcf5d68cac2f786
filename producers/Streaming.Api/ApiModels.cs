using Streaming.Producers;

namespace Streaming.Api;

/// <summary>Body of POST /v1/notifications.</summary>
public sealed record NotificationBody(
    string? UserId,
    string? Category,
    string? TemplateId,
    Dictionary<string, string>? Parameters,
    List<string>? Channels,
    string? Priority,
    string? Locale,
    string? Email,
    string? Phone,
    DateTimeOffset? SendAt,
    DateTimeOffset? ExpiresAt,
    string? CollapseKey = null)
{
    public NotificationRequest ToRequest(string sourceService, string? eventId) => new()
    {
        UserId = UserId,
        Category = Category,
        TemplateId = TemplateId,
        Parameters = Parameters,
        Channels = Channels,
        Priority = Priority,
        Locale = Locale,
        Email = Email,
        Phone = Phone,
        SendAt = SendAt,
        ExpiresAt = ExpiresAt,
        CollapseKey = CollapseKey,
        SourceService = sourceService,
        EventId = eventId,
    };
}

/// <summary>Answer to an accepted notification.</summary>
public sealed record AcceptedNotification(string EventId, bool Duplicate);

/// <summary>Answer to an accepted contact-information write.</summary>
public sealed record AcceptedWrite(string Topic, string Key);

/// <summary>One problem with a request, as listed in a problem body's "errors".</summary>
public sealed record ApiError(string Field, string Code, string Message);

public sealed record UserBody(string? DisplayName, string? Email, string? Phone, string? Locale, string? TimeZone);

public sealed record DeviceBody(string? Platform, string? App);

public sealed record PreferencesBody(bool UnsubscribedAll, List<string>? ChannelOrder, List<ChannelRuleUpdate>? Rules, QuietHoursUpdate? QuietHours);
