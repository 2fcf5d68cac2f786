using NodaTime;
using NodaTime.Text;
using Streaming.Contracts;

namespace Streaming.Processors;

/// <summary>
/// The rules of the topology as pure functions, so each one reads (and is tested) on its own:
/// request validation, channel resolution, opt-outs and quiet hours.
/// </summary>
internal static class NotificationPolicy
{
    public static readonly IReadOnlyList<string> Priorities = ["low", "normal", "high", "critical"];

    /// <summary>
    /// Checks what can be checked without the user's data; returns the DLQ reason and detail, or null when valid.
    /// A template is known when the catalogue or the templates topic has it (<paramref name="topicTemplateCategory"/>
    /// gives the category of a topic template, or null).
    /// </summary>
    public static (string Reason, string Error)? Validate(NotificationRequested request, string? key, NotificationCatalog catalog, Func<string, string?> topicTemplateCategory)
    {
        if (!EventIds.IsValid(request.eventId))
        {
            return (Reasons.InvalidEventId, EventIds.Rule);
        }

        if (string.IsNullOrWhiteSpace(request.userId))
        {
            return (Reasons.MissingRecipient, "userId is empty.");
        }

        if (key is not null && key != request.userId)
        {
            // The key decides the partition, and per-user state (dedup, held requests) lives on that partition.
            return (Reasons.KeyMismatch, $"Record key '{Truncate(key)}' is not the userId '{Truncate(request.userId)}'.");
        }

        if (!catalog.Categories.ContainsKey(request.category ?? ""))
        {
            return (Reasons.UnknownCategory, $"Unknown category '{Truncate(request.category)}'.");
        }

        var templateCategory = catalog.Templates.TryGetValue(request.templateId ?? "", out var template)
            ? template.Category
            : string.IsNullOrEmpty(request.templateId) ? null : topicTemplateCategory(request.templateId);
        if (templateCategory is null)
        {
            return (Reasons.UnknownTemplate, $"Unknown template '{Truncate(request.templateId)}'.");
        }

        if (templateCategory != request.category)
        {
            return (Reasons.TemplateCategoryMismatch, $"Template '{request.templateId}' belongs to category '{templateCategory}'.");
        }

        if (!Priorities.Contains(request.priority))
        {
            return (Reasons.InvalidPriority, $"Unknown priority '{Truncate(request.priority)}'.");
        }

        foreach (var channel in request.channels ?? [])
        {
            if (!Channels.Requestable.Contains(channel))
            {
                return (Reasons.UnknownChannel, $"Unknown channel '{Truncate(channel)}'.");
            }
        }

        return null;
    }

    /// <summary>Every address of <paramref name="requestChannel"/> for this user: all devices for push, one phone for sms, one address for email.</summary>
    public static List<Target> TargetsFor(string requestChannel, NotificationRequested request, UserProfile profile, IReadOnlyList<DeviceToken> devices)
    {
        switch (requestChannel)
        {
            case Channels.Push:
                return devices
                    .Select(d => new Target(Channels.Push, d.platform == "ios" ? Channels.Apns : Channels.Fcm, d.token, d.platform, d.app))
                    .ToList();
            case Channels.Sms:
                var phone = request.phone ?? profile.phone;
                return string.IsNullOrEmpty(phone) ? [] : [new Target(Channels.Sms, Channels.Sms, phone)];
            case Channels.Email:
                var email = request.email ?? profile.email;
                return string.IsNullOrEmpty(email) ? [] : [new Target(Channels.Email, Channels.Email, email)];
            default:
                return [];
        }
    }

    /// <summary>
    /// Why <paramref name="requestChannel"/> must not be used for <paramref name="category"/>, or null when it may.
    /// Mandatory categories always may. Otherwise a global unsubscribe wins; then the most specific matching rule
    /// (exact category beats '*', then exact channel beats '*'; among equals the later rule) decides.
    /// </summary>
    public static string? OptOutReason(UserPreferences? preferences, string category, string requestChannel, bool mandatory)
    {
        if (mandatory || preferences is null)
        {
            return null;
        }

        if (preferences.unsubscribedAll)
        {
            return Reasons.Unsubscribed;
        }

        ChannelRule? best = null;
        var bestScore = -1;
        foreach (var rule in preferences.rules ?? [])
        {
            var categoryMatch = rule.category == category ? 2 : rule.category == "*" ? 0 : -1;
            var channelMatch = rule.channel == requestChannel ? 1 : rule.channel == "*" ? 0 : -1;
            if (categoryMatch < 0 || channelMatch < 0)
            {
                continue;
            }

            var score = categoryMatch + channelMatch;
            if (score >= bestScore)
            {
                best = rule;
                bestScore = score;
            }
        }

        return best is { optedIn: false } ? Reasons.OptedOut : null;
    }

    /// <summary>high and critical go out at once; low and normal wait for the end of quiet hours.</summary>
    public static bool IsUrgent(string priority) => priority is "high" or "critical";

    /// <summary>
    /// The end of the quiet window <paramref name="now"/> falls in, or null when it is outside quiet hours (or the user has none).
    /// The window is [start, end) in the zone of the quiet hours (else the profile's zone, else UTC); end before start spans
    /// midnight; an end time skipped by a DST change is shifted forward by the gap (NodaTime's lenient resolver).
    /// </summary>
    public static DateTimeOffset? QuietHoursEnd(QuietHours? quiet, string? profileZone, DateTimeOffset now)
    {
        if (quiet is null
            || !TryParseTime(quiet.start, out var start)
            || !TryParseTime(quiet.end, out var end)
            || start == end)
        {
            return null;
        }

        var zone = DateTimeZoneProviders.Tzdb.GetZoneOrNull(quiet.timeZone ?? "")
            ?? DateTimeZoneProviders.Tzdb.GetZoneOrNull(profileZone ?? "")
            ?? DateTimeZone.Utc;
        var local = Instant.FromDateTimeOffset(now).InZone(zone).LocalDateTime;
        var time = local.TimeOfDay;
        LocalDate? endDate = null;
        if (start < end)
        {
            if (time >= start && time < end)
            {
                endDate = local.Date;
            }
        }
        else if (time >= start)
        {
            endDate = local.Date.PlusDays(1);
        }
        else if (time < end)
        {
            endDate = local.Date;
        }

        return endDate is { } d ? (d + end).InZoneLeniently(zone).ToDateTimeOffset() : null;
    }

    private static bool TryParseTime(string? text, out LocalTime time)
    {
        var result = LocalTimePattern.CreateWithInvariantCulture("HH:mm").Parse(text ?? "");
        time = result.Success ? result.Value : default;
        return result.Success;
    }

    private static string Truncate(string? value) => value is null ? "" : value.Length <= 64 ? value : value[..64] + "…";

    /// <summary>An Avro timestamp (read back as an unspecified-kind DateTime) as the UTC instant it is.</summary>
    public static DateTimeOffset Utc(DateTime value) => new(DateTime.SpecifyKind(value, DateTimeKind.Utc));
}
