namespace Streaming.Contracts;

/// <summary>
/// The categories and templates the platform knows, bound from the "Catalog" configuration section.
/// The API rejects requests outside it; the topology renders from it (or from the templates topic).
/// </summary>
public sealed class NotificationCatalog
{
    public const string Section = "Catalog";

    public Dictionary<string, CategoryDefinition> Categories { get; set; } = new(StringComparer.Ordinal);

    public Dictionary<string, TemplateDefinition> Templates { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Channel order for automatic requests when the user has none.</summary>
    public List<string> DefaultChannelOrder { get; set; } = [Channels.Push, Channels.Email, Channels.Sms];

    /// <summary>Locale used when a template has no text in the user's locale.</summary>
    public string DefaultLocale { get; set; } = "en";

    public bool IsEmpty => Categories.Count == 0 && Templates.Count == 0;

    /// <summary>A small catalogue used by the local stack, the demo traffic and tests.</summary>
    public static NotificationCatalog Demo() => new()
    {
        Categories =
        {
            ["security"] = new() { Mandatory = true, Description = "Sign-in alerts, password resets; bypasses opt-outs." },
            ["billing"] = new() { Mandatory = true, Description = "Invoices and payment failures; bypasses opt-outs." },
            ["social"] = new() { Description = "Comments, mentions, follows." },
            ["marketing"] = new() { Description = "Promotions and newsletters." },
        },
        Templates =
        {
            ["login-alert"] = new()
            {
                Category = "security",
                Locales =
                {
                    ["en"] = new() { Title = "New sign-in", Subject = "New sign-in to your account", Body = "Hi {{ user.name }}, a new sign-in from {{ params.device }} just happened." },
                    ["de"] = new() { Title = "Neue Anmeldung", Subject = "Neue Anmeldung bei Ihrem Konto", Body = "Hallo {{ user.name }}, soeben gab es eine neue Anmeldung von {{ params.device }}." },
                },
            },
            ["invoice-ready"] = new()
            {
                Category = "billing",
                Locales = { ["en"] = new() { Title = "Invoice ready", Subject = "Your invoice {{ params.invoice }}", Body = "Your invoice {{ params.invoice }} for {{ params.amount }} is ready." } },
            },
            ["new-comment"] = new()
            {
                Category = "social",
                Locales = { ["en"] = new() { Title = "New comment", Subject = "{{ params.author }} commented", Body = "{{ params.author }} commented on your post: {{ params.snippet }}" } },
            },
            ["weekly-digest"] = new()
            {
                Category = "marketing",
                Locales = { ["en"] = new() { Title = "Your week", Subject = "Your weekly digest", Body = "Hi {{ user.name }}, here is what you missed this week." } },
            },
        },
    };
}

public sealed class CategoryDefinition
{
    /// <summary>Mandatory categories (security, billing) are delivered despite opt-outs and global unsubscribe.</summary>
    public bool Mandatory { get; set; }

    public string? Description { get; set; }
}

public sealed class TemplateDefinition
{
    /// <summary>The category requests using this template must name.</summary>
    public string Category { get; set; } = "";

    /// <summary>Locale (e.g. en, de-DE) → texts. The catalogue's DefaultLocale must be present.</summary>
    public Dictionary<string, TemplateTexts> Locales { get; set; } = new(StringComparer.OrdinalIgnoreCase);
}

public sealed class TemplateTexts
{
    public string? Title { get; set; }

    public string? Subject { get; set; }

    public string Body { get; set; } = "";
}
