using System.Collections.Concurrent;
using Fluid;
using Streaming.Contracts;

namespace Streaming.Processors;

/// <summary>
/// Renders catalogue templates with Fluid (Liquid). Templates are parsed once, at start; the model exposes only
/// <c>user.name</c> and <c>params.&lt;key&gt;</c>, values are inserted as plain text (no HTML encoding: bodies are
/// push/SMS text and the email text part) and a step limit stops a runaway template.
/// </summary>
internal sealed class TemplateRenderer
{
    private static readonly FluidParser Parser = new();

    private readonly TemplateOptions options = new() { MaxSteps = 10_000, MaxRecursion = 10 };
    private readonly NotificationCatalog catalog;
    private readonly ConcurrentDictionary<string, IFluidTemplate> parsed = new(StringComparer.Ordinal);

    public TemplateRenderer(NotificationCatalog catalog)
    {
        this.catalog = catalog;
        foreach (var (templateId, template) in catalog.Templates)
        {
            foreach (var (locale, texts) in template.Locales)
            {
                foreach (var text in new[] { texts.Title, texts.Subject, texts.Body })
                {
                    if (text is not null && !Parser.TryParse(text, out _, out var error))
                    {
                        throw new InvalidOperationException($"Template '{templateId}' ({locale}) is not valid Liquid: {error}");
                    }
                }
            }
        }
    }

    /// <summary>
    /// The locale actually used for <paramref name="wanted"/>: the exact locale, else its language (de-DE → de),
    /// else the catalogue's DefaultLocale, else any locale the template has.
    /// </summary>
    public static string? ResolveLocale(TemplateDefinition template, string? wanted, string defaultLocale)
    {
        // Locale tags compare case-insensitively; the catalogue's own spelling is returned.
        string? Find(string locale) => template.Locales.Keys.FirstOrDefault(k => string.Equals(k, locale, StringComparison.OrdinalIgnoreCase));

        if (!string.IsNullOrEmpty(wanted))
        {
            var dash = wanted.IndexOf('-', StringComparison.Ordinal);
            if ((Find(wanted) ?? (dash > 0 ? Find(wanted[..dash]) : null)) is { } found)
            {
                return found;
            }
        }

        return Find(defaultLocale) ?? template.Locales.Keys.FirstOrDefault();
    }

    /// <summary>Renders the template in the best locale for <paramref name="wanted"/>; null when the template is unknown or has no text.</summary>
    public RenderedTemplate? Render(string templateId, string? wanted, string? userName, IDictionary<string, string> parameters)
    {
        if (!catalog.Templates.TryGetValue(templateId, out var template)
            || ResolveLocale(template, wanted, catalog.DefaultLocale) is not { } locale)
        {
            return null;
        }

        var texts = template.Locales[locale];
        var model = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            ["user"] = new Dictionary<string, object>(StringComparer.Ordinal) { ["name"] = userName ?? "" },
            ["params"] = parameters.ToDictionary(p => p.Key, p => (object)p.Value, StringComparer.Ordinal),
        };
        var context = new TemplateContext(model, options);
        string? Apply(string? text, string field)
            => text is null ? null : Get(templateId, locale, field, text).Render(context, NullEncoder.Default);

        return new RenderedTemplate(locale, Apply(texts.Title, "title"), Apply(texts.Subject, "subject"), Apply(texts.Body, "body") ?? "");
    }

    private IFluidTemplate Get(string templateId, string locale, string field, string text)
        => parsed.GetOrAdd($"{templateId}/{locale}/{field}", static (_, t) => Parser.Parse(t), text);
}

internal sealed record RenderedTemplate(string Locale, string? Title, string? Subject, string Body);
