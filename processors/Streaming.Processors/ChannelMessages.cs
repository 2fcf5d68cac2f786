using Streaming.Contracts;

namespace Streaming.Processors;

/// <summary>
/// The texts of a request and the channel message for each of its targets. Templates come from the templates topic
/// when it has them for the locale, else from the catalogue (see <see cref="TemplateRenderer"/>).
/// </summary>
internal sealed class ChannelMessages(TemplateRenderer renderer, GlobalTables tables)
{
    /// <summary>The request's template rendered for its (else the profile's) locale, or the error that makes it a template error.</summary>
    public (RenderedTemplate? Rendered, string? Error) Render(NotificationRequested request, UserProfile profile)
    {
        try
        {
            var rendered = renderer.Render(request.templateId, request.locale ?? profile.locale, profile.displayName, request.templateParameters ?? new Dictionary<string, string>(), tables.Template);
            return rendered is null ? (null, $"Template '{request.templateId}' has no text.") : (rendered, null);
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException or FormatException or Fluid.ParseException)
        {
            return (null, ex.Message);
        }
    }

    /// <summary>The message for one target: titles only for push, subjects only for email.</summary>
    public static ChannelNotification For(NotificationRequested request, Target target, RenderedTemplate rendered, DateTimeOffset now) => new()
    {
        eventId = request.eventId,
        userId = request.userId,
        channel = target.Channel,
        target = target.Address,
        platform = target.Platform,
        app = target.App,
        category = request.category,
        priority = request.priority,
        locale = rendered.Locale,
        templateId = request.templateId,
        title = target.RequestChannel == Channels.Push ? rendered.Title : null,
        subject = target.Channel == Channels.Email ? rendered.Subject : null,
        body = rendered.Body,
        data = Data(request, target),
        collapseKey = target.RequestChannel == Channels.Push ? request.collapseKey : null,
        expiresAt = request.expiresAt,
        sourceService = request.sourceService,
        requestedAt = request.createdAt,
        routedAt = now.UtcDateTime,
    };

    /// <summary>What a push app gets besides the texts; a "link" parameter goes to push targets as the page a tap opens.</summary>
    private static Dictionary<string, string> Data(NotificationRequested request, Target target)
    {
        var data = new Dictionary<string, string> { ["eventId"] = request.eventId, ["category"] = request.category, ["templateId"] = request.templateId };
        if (target.RequestChannel == Channels.Push && request.templateParameters?.TryGetValue(LinkParameter, out var link) == true && link.Length > 0)
        {
            data[LinkParameter] = link;
        }

        return data;
    }

    /// <summary>The template parameter whose value push messages carry as the link to open.</summary>
    public const string LinkParameter = "link";
}
