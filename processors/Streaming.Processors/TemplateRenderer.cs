using System.Collections.Concurrent;
using Fluid;
using Streaming.Contracts;

namespace Streaming.Processors;

/// <summary>
/// Renders templates with Fluid (Liquid): from the compacted templates topic when it has the template in a locale,
/// else from the catalogue. The model exposes only <c>user.name</c> and <c>params.&lt;key&gt;</c>, values are inserted
/// as plain text (no HTML encoding: bodies are push/SMS text and the email text part), a step limit stops a runaway
/// template, and each distinct text is parsed once.
/// </summary>
internal sealed class TemplateRenderer
{
    /// <summary>Locale of a topic template that serves every locale without its own text.</summary>
    public const string TopicDefaultLocale = "default";

    private static readonly FluidParser Parser = new();

    private readonly TemplateOptions options = new() { MaxSteps = 10_000, MaxRecursion = 10 };
    private readonly NotificationCatalog catalog;
    private readonly ConcurrentDictionary<string, IFluidTemplate> parsed = new(StringComparer.Ordinal);

    /// <summary>Parses every catalogue template now, so a broken one fails the start instead of every request.</summary>
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
    /// The catalogue locale used for <paramref name="wanted"/>: the exact locale, else its language (de-DE → de),
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

    /// <summary>
    /// Renders <paramref name="templateId"/> for <paramref name="wanted"/>. Locales are tried exact → language →
    /// DefaultLocale; for each, the topic's text (<paramref name="fromTopic"/>, by "{templateId}/{locale}") wins over
    /// the catalogue's. Then the topic's "default", then any catalogue locale. Null when neither has the template.
    /// </summary>
    /// <exception cref="InvalidOperationException">A topic template is not valid Liquid, or rendering exceeded the step limit.</exception>
    public RenderedTemplate? Render(string templateId, string? wanted, string? userName, IDictionary<string, string> parameters, Func<string, NotificationTemplate?> fromTopic)
    {
        if (Choose(templateId, wanted, fromTopic) is not { } choice)
        {
            return null;
        }

        var model = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            ["user"] = new Dictionary<string, object>(StringComparer.Ordinal) { ["name"] = userName ?? "" },
            ["params"] = parameters.ToDictionary(p => p.Key, p => (object)p.Value, StringComparer.Ordinal),
        };
        var context = new TemplateContext(model, options);
        string? Apply(string? text) => text is null ? null : Parse(templateId, text).Render(context, NullEncoder.Default);

        return new RenderedTemplate(choice.Locale, Apply(choice.Title), Apply(choice.Subject), Apply(choice.Body) ?? "");
    }

    private (string Locale, string? Title, string? Subject, string? Body)? Choose(string templateId, string? wanted, Func<string, NotificationTemplate?> fromTopic)
    {
        catalog.Templates.TryGetValue(templateId, out var fromCatalog);
        var candidates = new List<string>();
        if (!string.IsNullOrEmpty(wanted))
        {
            candidates.Add(wanted);
            var dash = wanted.IndexOf('-', StringComparison.Ordinal);
            if (dash > 0)
            {
                candidates.Add(wanted[..dash]);
            }
        }

        candidates.Add(catalog.DefaultLocale);
        foreach (var locale in candidates)
        {
            if (fromTopic(Topics.TemplateKey(templateId, locale)) is { } t)
            {
                return (t.locale, t.title, t.subject, t.body);
            }

            if (fromCatalog is not null && fromCatalog.Locales.Keys.FirstOrDefault(k => string.Equals(k, locale, StringComparison.OrdinalIgnoreCase)) is { } key)
            {
                var texts = fromCatalog.Locales[key];
                return (key, texts.Title, texts.Subject, texts.Body);
            }
        }

        if (fromTopic(Topics.TemplateKey(templateId, TopicDefaultLocale)) is { } d)
        {
            return (catalog.DefaultLocale, d.title, d.subject, d.body);
        }

        if (fromCatalog is not null && ResolveLocale(fromCatalog, wanted, catalog.DefaultLocale) is { } any)
        {
            var texts = fromCatalog.Locales[any];
            return (any, texts.Title, texts.Subject, texts.Body);
        }

        return null;
    }

    private IFluidTemplate Parse(string templateId, string text)
    {
        if (parsed.Count > 10_000)
        {
            parsed.Clear(); // topic templates that keep changing must not grow the cache forever
        }

        return parsed.GetOrAdd(text, static (t, id) => Parser.TryParse(t, out var template, out var error)
            ? template
            : throw new InvalidOperationException($"Template '{id}' is not valid Liquid: {error}"), templateId);
    }
}

internal sealed record RenderedTemplate(string Locale, string? Title, string? Subject, string Body);
