using System.Text.RegularExpressions;
using PhoneNumbers;
using Streaming.Contracts;

namespace Streaming.Producers;

/// <summary>
/// Checks a <see cref="NotificationRequest"/> against the contract and the catalogue, and turns it into
/// the Avro <see cref="NotificationRequested"/>. Collects every problem instead of stopping at the first.
/// </summary>
public sealed partial class NotificationValidator(NotificationCatalog catalog, ValidationLimits limits, TimeProvider time)
{
    /// <summary>Priorities a request may carry.</summary>
    public static readonly IReadOnlyList<string> Priorities = ["low", "normal", "high", "critical"];

    private static readonly PhoneNumberUtil Phones = PhoneNumberUtil.GetInstance();

    /// <summary>Validates and converts; throws <see cref="NotificationValidationException"/> listing every problem.</summary>
    public NotificationRequested ToEvent(NotificationRequest request, string defaultSourceService)
    {
        var errors = Validate(request, defaultSourceService);
        if (errors.Count > 0)
        {
            throw new NotificationValidationException(errors);
        }

        var now = time.GetUtcNow();
        return new NotificationRequested
        {
            eventId = request.EventId ?? Guid.CreateVersion7(now).ToString(),
            userId = request.UserId!,
            category = request.Category!,
            priority = request.Priority ?? "normal",
            channels = request.Channels?.ToList() ?? [],
            templateId = request.TemplateId!,
            templateParameters = request.Parameters is null ? new Dictionary<string, string>() : new Dictionary<string, string>(request.Parameters),
            locale = request.Locale,
            email = request.Email,
            phone = request.Phone is null ? null : NormalisePhone(request.Phone),
            sendAt = request.SendAt?.UtcDateTime,
            expiresAt = request.ExpiresAt?.UtcDateTime,
            sourceService = request.SourceService ?? defaultSourceService,
            createdAt = now.UtcDateTime,
            collapseKey = request.CollapseKey,
        };
    }

    /// <summary>Returns every problem with the request; empty when it is valid.</summary>
    public List<ValidationError> Validate(NotificationRequest request, string defaultSourceService)
    {
        var errors = new List<ValidationError>();
        void Fail(string field, string code, string message) => errors.Add(new(field, code, message));

        if (string.IsNullOrWhiteSpace(request.UserId))
        {
            Fail("userId", "missing-recipient", "userId is required: every notification has one recipient user.");
        }
        else if (!IsValidUserId(request.UserId))
        {
            Fail("userId", "invalid-user-id", "userId must be 1-128 characters of letters, digits and . _ - : @");
        }

        if (request.EventId is not null && !EventIds.IsValid(request.EventId))
        {
            Fail("eventId", "invalid-event-id", EventIds.Rule);
        }

        ValidateCategoryAndTemplate(request, Fail);

        if (request.Priority is not null && !Priorities.Contains(request.Priority))
        {
            Fail("priority", "invalid-priority", $"priority must be one of {string.Join(", ", Priorities)}.");
        }

        if (request.Channels is { } channels)
        {
            foreach (var c in channels)
            {
                if (!Contracts.Channels.Requestable.Contains(c))
                {
                    Fail("channels", "unknown-channel", $"Unknown channel '{Truncate(c)}'; use {string.Join(", ", Contracts.Channels.Requestable)}.");
                }
            }

            if (channels.Distinct(StringComparer.Ordinal).Count() != channels.Count)
            {
                Fail("channels", "duplicate-channel", "A channel is listed twice.");
            }
        }

        if (request.Email is not null && !IsValidEmail(request.Email))
        {
            Fail("email", "invalid-email", "email is not a valid address (local@domain, no display name, no line breaks).");
        }

        if (request.Phone is not null && NormalisePhone(request.Phone) is null)
        {
            Fail("phone", "invalid-phone", "phone must be a valid number in E.164 form, e.g. +14155550100.");
        }

        if (request.Locale is not null && !IsValidLocale(request.Locale))
        {
            Fail("locale", "invalid-locale", "locale must be a BCP 47 tag such as en or de-DE.");
        }

        var now = time.GetUtcNow();
        if (request.SendAt is { } sendAt && sendAt < now - limits.SendAtGrace)
        {
            Fail("sendAt", "send-at-in-past", $"sendAt is more than {limits.SendAtGrace.TotalSeconds:0} s in the past.");
        }

        if (request.SendAt is { } s && s > now + limits.MaxScheduleAhead)
        {
            Fail("sendAt", "send-at-too-far", $"sendAt is more than {limits.MaxScheduleAhead.TotalDays:0} days ahead.");
        }

        if (request.ExpiresAt is { } expiresAt)
        {
            if (expiresAt <= now)
            {
                Fail("expiresAt", "already-expired", "expiresAt is in the past.");
            }
            else if (request.SendAt is { } sa && expiresAt <= sa)
            {
                Fail("expiresAt", "expires-before-send", "expiresAt must be after sendAt.");
            }
        }

        if (request.CollapseKey is { } collapseKey && (collapseKey.Length is 0 or > 64 || collapseKey.Any(char.IsControl)))
        {
            // APNs rejects an apns-collapse-id over 64 bytes; FCM keeps at most four keys per device anyway.
            Fail("collapseKey", "invalid-collapse-key", "collapseKey must be 1-64 printable characters.");
        }

        ValidateParameters(request.Parameters, Fail);

        var source = request.SourceService ?? defaultSourceService;
        if (string.IsNullOrWhiteSpace(source) || !SourcePattern().IsMatch(source))
        {
            Fail("sourceService", "invalid-source-service", "sourceService must be 1-64 characters of letters, digits, . _ and -.");
        }

        return errors;
    }

    private void ValidateCategoryAndTemplate(NotificationRequest request, Action<string, string, string> fail)
    {
        if (string.IsNullOrWhiteSpace(request.Category))
        {
            fail("category", "missing-category", "category is required.");
        }
        else if (!catalog.IsEmpty && !catalog.Categories.ContainsKey(request.Category))
        {
            fail("category", "unknown-category", $"Unknown category '{Truncate(request.Category)}'.");
        }

        if (string.IsNullOrWhiteSpace(request.TemplateId))
        {
            fail("templateId", "missing-template", "templateId is required.");
        }
        else if (!catalog.IsEmpty)
        {
            if (!catalog.Templates.TryGetValue(request.TemplateId, out var template))
            {
                fail("templateId", "unknown-template", $"Unknown template '{Truncate(request.TemplateId)}'.");
            }
            else if (request.Category is not null && catalog.Categories.ContainsKey(request.Category) && template.Category != request.Category)
            {
                fail("templateId", "template-category-mismatch", $"Template '{request.TemplateId}' belongs to category '{template.Category}', not '{request.Category}'.");
            }
        }
    }

    private void ValidateParameters(IReadOnlyDictionary<string, string>? parameters, Action<string, string, string> fail)
    {
        if (parameters is null)
        {
            return;
        }

        if (parameters.Count > limits.MaxParameters)
        {
            fail("parameters", "too-many-parameters", $"At most {limits.MaxParameters} parameters are allowed.");
            return;
        }

        foreach (var (key, value) in parameters)
        {
            if (!ParameterKeyPattern().IsMatch(key))
            {
                fail("parameters", "invalid-parameter-name", $"Parameter name '{Truncate(key)}' must be 1-64 letters, digits or _.");
            }
            else if (value is null)
            {
                fail($"parameters.{key}", "missing-parameter-value", "Parameter values must be strings, not null.");
            }
            else if (value.Length > limits.MaxParameterLength)
            {
                fail($"parameters.{key}", "parameter-too-long", $"Parameter values are limited to {limits.MaxParameterLength} characters.");
            }
            else if (ContainsControlCharacters(value))
            {
                // Parameters end up in email subjects and SMS bodies: line breaks there are header injection.
                fail($"parameters.{key}", "control-characters", "Parameter values must not contain control characters or line breaks.");
            }
        }
    }

    /// <summary>True for user IDs the platform accepts (letters, digits and . _ - : @, at most 128).</summary>
    public static bool IsValidUserId(string userId) => UserIdPattern().IsMatch(userId);

    /// <summary>True for a single plain address (no display name, no line breaks, a dotted domain).</summary>
    public static bool IsValidEmail(string email)
    {
        if (email.Length > 254 || ContainsControlCharacters(email) || !EmailPattern().IsMatch(email))
        {
            return false;
        }

        return System.Net.Mail.MailAddress.TryCreate(email, out var parsed) && parsed.Address == email && parsed.DisplayName.Length == 0;
    }

    /// <summary>The number in E.164 form if it is a valid international number written as E.164, else null.</summary>
    public static string? NormalisePhone(string phone)
    {
        if (phone.Length > 20 || !phone.StartsWith('+') || ContainsControlCharacters(phone))
        {
            return null;
        }

        try
        {
            var parsed = Phones.Parse(phone, null);
            if (!Phones.IsValidNumber(parsed))
            {
                return null;
            }

            var e164 = Phones.Format(parsed, PhoneNumberFormat.E164);
            return e164 == phone ? e164 : null;
        }
        catch (NumberParseException)
        {
            return null;
        }
    }

    /// <summary>True for a BCP 47 language tag such as en, pt-BR or zh-Hant-TW.</summary>
    public static bool IsValidLocale(string locale) => LocalePattern().IsMatch(locale);

    private static bool ContainsControlCharacters(string value) => value.Any(char.IsControl);

    private static string Truncate(string value) => value.Length <= 64 ? value : value[..64] + "…";

    [GeneratedRegex("^[A-Za-z0-9._:@-]{1,128}$")]
    private static partial Regex UserIdPattern();

    [GeneratedRegex("^[A-Za-z0-9._-]{1,64}$")]
    private static partial Regex SourcePattern();

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]{0,63}$")]
    private static partial Regex ParameterKeyPattern();

    [GeneratedRegex(@"^[^@\s""<>(),;:\[\]\\]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$")]
    private static partial Regex EmailPattern();

    [GeneratedRegex("^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8}){0,3}$")]
    private static partial Regex LocalePattern();
}

/// <summary>Bounds on request content, from configuration ("NotificationPublisher:Limits").</summary>
public sealed class ValidationLimits
{
    /// <summary>How far in the past sendAt may be (clock skew between services); default 5 minutes.</summary>
    public TimeSpan SendAtGrace { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How far ahead a request may be scheduled; default 30 days.</summary>
    public TimeSpan MaxScheduleAhead { get; set; } = TimeSpan.FromDays(30);

    /// <summary>Maximum number of template parameters; default 50.</summary>
    public int MaxParameters { get; set; } = 50;

    /// <summary>Maximum length of one parameter value; default 2000 characters.</summary>
    public int MaxParameterLength { get; set; } = 2000;
}
