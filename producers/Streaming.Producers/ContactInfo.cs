using System.Globalization;
using System.Text.RegularExpressions;
using NodaTime;
using Streaming.Contracts;

namespace Streaming.Producers;

/// <summary>A user's contact information, written to the compacted users topic.</summary>
public sealed record UserProfileUpdate
{
    /// <summary>Name for greetings.</summary>
    public string? DisplayName { get; init; }

    /// <summary>Verified email address, or null.</summary>
    public string? Email { get; init; }

    /// <summary>Verified phone in E.164 form, or null.</summary>
    public string? Phone { get; init; }

    /// <summary>BCP 47 locale; default en.</summary>
    public string? Locale { get; init; }

    /// <summary>IANA time zone; default UTC.</summary>
    public string? TimeZone { get; init; }
}

/// <summary>A push device registration.</summary>
public sealed record DeviceRegistration
{
    /// <summary>ios (APNs), android or web (FCM).</summary>
    public string? Platform { get; init; }

    /// <summary>App bundle / package ID the token belongs to.</summary>
    public string? App { get; init; }
}

/// <summary>A user's notification preferences.</summary>
public sealed record PreferencesUpdate
{
    /// <summary>Global unsubscribe (mandatory categories still arrive).</summary>
    public bool UnsubscribedAll { get; init; }

    /// <summary>Preferred channels for automatic requests, most preferred first.</summary>
    public IReadOnlyList<string>? ChannelOrder { get; init; }

    /// <summary>Per category × channel opt-in/out rules ('*' matches all).</summary>
    public IReadOnlyList<ChannelRuleUpdate>? Rules { get; init; }

    /// <summary>Quiet hours, or null for none.</summary>
    public QuietHoursUpdate? QuietHours { get; init; }
}

/// <summary>One opt-in/out rule.</summary>
/// <param name="Category">Category, or '*'.</param>
/// <param name="Channel">push, sms, email, or '*'.</param>
/// <param name="OptedIn">false opts out.</param>
public sealed record ChannelRuleUpdate(string Category, string Channel, bool OptedIn);

/// <summary>A daily quiet window in a time zone.</summary>
/// <param name="Start">Local start, HH:mm.</param>
/// <param name="End">Local end, HH:mm (may be before start: spans midnight).</param>
/// <param name="TimeZone">IANA time zone.</param>
public sealed record QuietHoursUpdate(string Start, string End, string TimeZone);

/// <summary>Validates contact information and turns it into the Avro table records.</summary>
public static partial class ContactInfoValidator
{
    /// <summary>Device platforms the platform routes.</summary>
    public static readonly IReadOnlyList<string> Platforms = ["ios", "android", "web"];

    /// <summary>Checks a user ID for use as a Kafka key.</summary>
    public static void ValidateUserId(string userId, List<ValidationError> errors)
    {
        if (!NotificationValidator.IsValidUserId(userId))
        {
            errors.Add(new("userId", "invalid-user-id", "userId must be 1-128 characters of letters, digits and . _ - : @"));
        }
    }

    /// <summary>Builds the users-topic record; throws <see cref="NotificationValidationException"/> when invalid.</summary>
    public static UserProfile ToProfile(string userId, UserProfileUpdate update, DateTimeOffset now)
    {
        var errors = new List<ValidationError>();
        ValidateUserId(userId, errors);
        if (update.Email is not null && !NotificationValidator.IsValidEmail(update.Email))
        {
            errors.Add(new("email", "invalid-email", "email is not a valid address."));
        }

        if (update.Phone is not null && NotificationValidator.NormalisePhone(update.Phone) is null)
        {
            errors.Add(new("phone", "invalid-phone", "phone must be a valid number in E.164 form, e.g. +14155550100."));
        }

        if (update.Locale is not null && !NotificationValidator.IsValidLocale(update.Locale))
        {
            errors.Add(new("locale", "invalid-locale", "locale must be a BCP 47 tag such as en or de-DE."));
        }

        if (update.TimeZone is not null && !IsValidTimeZone(update.TimeZone))
        {
            errors.Add(new("timeZone", "invalid-time-zone", "timeZone must be an IANA time zone such as Europe/Berlin."));
        }

        if (update.DisplayName is { } name && (name.Length > 200 || name.Any(char.IsControl)))
        {
            errors.Add(new("displayName", "invalid-display-name", "displayName must be at most 200 characters without control characters."));
        }

        ThrowIfAny(errors);
        return new UserProfile
        {
            userId = userId,
            displayName = update.DisplayName,
            email = update.Email,
            phone = update.Phone,
            locale = update.Locale ?? "en",
            timeZone = update.TimeZone ?? "UTC",
            updatedAt = now.UtcDateTime,
        };
    }

    /// <summary>Builds the devices-topic record; throws <see cref="NotificationValidationException"/> when invalid.</summary>
    public static UserDevice ToDevice(string userId, string token, DeviceRegistration registration, DateTimeOffset now)
    {
        var errors = new List<ValidationError>();
        ValidateUserId(userId, errors);
        ValidateToken(token, errors);
        if (registration.Platform is null || !Platforms.Contains(registration.Platform))
        {
            errors.Add(new("platform", "invalid-platform", "platform must be one of ios, android, web."));
        }

        if (string.IsNullOrWhiteSpace(registration.App) || registration.App.Length > 255 || registration.App.Any(char.IsControl))
        {
            errors.Add(new("app", "invalid-app", "app (bundle or package ID) is required, at most 255 characters."));
        }

        ThrowIfAny(errors);
        return new UserDevice
        {
            userId = userId,
            token = token,
            platform = registration.Platform!,
            app = registration.App!,
            lastSeenAt = now.UtcDateTime,
        };
    }

    /// <summary>Checks a push token (APNs hex or FCM registration token).</summary>
    public static void ValidateToken(string token, List<ValidationError> errors)
    {
        if (!TokenPattern().IsMatch(token))
        {
            errors.Add(new("token", "invalid-token", "token must be 8-4096 characters of letters, digits, : _ and -."));
        }
    }

    /// <summary>Builds the preferences-topic record; throws <see cref="NotificationValidationException"/> when invalid.</summary>
    public static UserPreferences ToPreferences(string userId, PreferencesUpdate update, DateTimeOffset now)
    {
        var errors = new List<ValidationError>();
        ValidateUserId(userId, errors);
        foreach (var c in update.ChannelOrder ?? [])
        {
            if (!Channels.Requestable.Contains(c))
            {
                errors.Add(new("channelOrder", "unknown-channel", $"Unknown channel '{c}'."));
            }
        }

        foreach (var r in update.Rules ?? [])
        {
            if (r.Channel != "*" && !Channels.Requestable.Contains(r.Channel))
            {
                errors.Add(new("rules", "unknown-channel", $"Unknown channel '{r.Channel}' in a rule."));
            }

            if (string.IsNullOrWhiteSpace(r.Category) || r.Category.Length > 64)
            {
                errors.Add(new("rules", "invalid-category", "Rule categories must be 1-64 characters or '*'."));
            }
        }

        if (update.QuietHours is { } q)
        {
            if (!IsClockTime(q.Start) || !IsClockTime(q.End))
            {
                errors.Add(new("quietHours", "invalid-quiet-hours", "quietHours start and end must be HH:mm."));
            }

            if (!IsValidTimeZone(q.TimeZone))
            {
                errors.Add(new("quietHours.timeZone", "invalid-time-zone", "quietHours.timeZone must be an IANA time zone."));
            }
        }

        ThrowIfAny(errors);
        return new UserPreferences
        {
            userId = userId,
            unsubscribedAll = update.UnsubscribedAll,
            channelOrder = update.ChannelOrder?.ToList() ?? [],
            rules = update.Rules?.Select(r => new ChannelRule { category = r.Category, channel = r.Channel, optedIn = r.OptedIn }).ToList() ?? [],
            quietHours = update.QuietHours is { } qh ? new QuietHours { start = qh.Start, end = qh.End, timeZone = qh.TimeZone } : null,
            updatedAt = now.UtcDateTime,
        };
    }

    /// <summary>True for an IANA time zone ID known to the TZDB bundled with NodaTime.</summary>
    public static bool IsValidTimeZone(string zone) => DateTimeZoneProviders.Tzdb.GetZoneOrNull(zone) is not null;

    private static bool IsClockTime(string value)
        => TimeOnly.TryParseExact(value, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out _);

    private static void ThrowIfAny(List<ValidationError> errors)
    {
        if (errors.Count > 0)
        {
            throw new NotificationValidationException(errors);
        }
    }

    [GeneratedRegex("^[A-Za-z0-9:_-]{8,4096}$")]
    private static partial Regex TokenPattern();
}
