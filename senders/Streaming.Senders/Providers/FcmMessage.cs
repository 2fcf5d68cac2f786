using System.Globalization;
using Streaming.Contracts;

namespace Streaming.Senders.Providers;

/// <summary>
/// The FCM HTTP v1 message for one channel message: the notification and data every platform gets, plus the block of
/// the device's platform — <c>android</c> (priority, collapse key, TTL) or <c>webpush</c> (Urgency and TTL headers, a
/// notification with a replace tag, the link a click opens).
/// </summary>
internal static class FcmMessage
{
    /// <summary>The platform value of browser (Web Push) registrations.</summary>
    public const string WebPlatform = "web";

    /// <summary>The data key a request's link travels under (a template parameter named link).</summary>
    public const string LinkKey = "link";

    public static Dictionary<string, object> For(ChannelNotification n, FcmOptions options, DateTimeOffset now)
    {
        var data = new Dictionary<string, string>(n.data ?? new Dictionary<string, string>(), StringComparer.Ordinal) { ["eventId"] = n.eventId };
        var message = new Dictionary<string, object>
        {
            ["token"] = n.target,
            ["notification"] = new Dictionary<string, string> { ["title"] = n.title ?? "", ["body"] = n.body },
            ["data"] = data,
        };
        var ttl = n.expiresAt is { } expires ? Math.Max(0, (long)(expires.AsUtc() - now).TotalSeconds) : (long?)null;
        if (n.platform == WebPlatform)
        {
            message["webpush"] = WebPush(n, options, ttl);
        }
        else
        {
            message["android"] = Android(n, ttl);
        }

        return message;
    }

    private static Dictionary<string, object> Android(ChannelNotification n, long? ttl)
    {
        var android = new Dictionary<string, object> { ["priority"] = IsUrgent(n) ? "HIGH" : "NORMAL" };
        if (n.collapseKey is { Length: > 0 } collapse)
        {
            android["collapse_key"] = collapse;
        }

        if (ttl is { } seconds)
        {
            android["ttl"] = seconds.ToString(CultureInfo.InvariantCulture) + "s";
        }

        return android;
    }

    /// <summary>Web Push (RFC 8030) takes TTL and Urgency as headers; a browser replaces a shown notification with the same tag.</summary>
    private static Dictionary<string, object> WebPush(ChannelNotification n, FcmOptions options, long? ttl)
    {
        var headers = new Dictionary<string, string> { ["Urgency"] = IsUrgent(n) ? "high" : n.priority == "low" ? "low" : "normal" };
        if (ttl is { } seconds)
        {
            headers["TTL"] = seconds.ToString(CultureInfo.InvariantCulture);
        }

        var notification = new Dictionary<string, string> { ["title"] = n.title ?? "", ["body"] = n.body };
        if (n.collapseKey is { Length: > 0 } collapse)
        {
            notification["tag"] = collapse;
        }

        var webpush = new Dictionary<string, object> { ["headers"] = headers, ["notification"] = notification };
        if (Link(n, options) is { } link)
        {
            webpush["fcm_options"] = new Dictionary<string, string> { ["link"] = link };
        }

        return webpush;
    }

    /// <summary>The request's own link, else the configured one for its event; FCM accepts only HTTPS links.</summary>
    private static string? Link(ChannelNotification n, FcmOptions options)
    {
        var link = (n.data?.TryGetValue(LinkKey, out var own) == true ? own : null) ?? options.WebLink?.Replace("{eventId}", Uri.EscapeDataString(n.eventId), StringComparison.Ordinal);
        return Uri.TryCreate(link, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps ? uri.ToString() : null;
    }

    private static bool IsUrgent(ChannelNotification n) => n.priority is "high" or "critical";
}
