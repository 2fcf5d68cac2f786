using Streaming.Contracts;

namespace Streaming.Testing;

/// <summary>Channel messages as the topology emits them, for feeding senders in tests.</summary>
public static class TestNotifications
{
    /// <summary>A rendered message for <paramref name="target"/> on <paramref name="channel"/>, as the topology would emit it.</summary>
    public static ChannelNotification For(string channel, string target, string? eventId = null, string user = "user-1", DateTime? expiresAt = null) => new()
    {
        eventId = eventId ?? Guid.NewGuid().ToString(),
        userId = user,
        channel = channel,
        target = target,
        platform = channel is Channels.Apns ? "ios" : channel is Channels.Fcm ? "android" : null,
        app = channel is Channels.Apns or Channels.Fcm ? "com.example.app" : null,
        category = "social",
        priority = "normal",
        locale = "en",
        templateId = "new-comment",
        title = "Hello",
        subject = channel == Channels.Email ? "Hello" : null,
        body = "Bob commented: Nice!",
        data = new Dictionary<string, string> { ["screen"] = "comments" },
        collapseKey = null,
        expiresAt = expiresAt,
        sourceService = "tests",
        requestedAt = DateTime.UtcNow,
        routedAt = DateTime.UtcNow,
    };

    /// <summary>The <paramref name="i"/>-th target of a traffic run: an address, a number or a token, by channel.</summary>
    public static string Target(string channel, int i, string run) => channel switch
    {
        Channels.Email => $"{run}-{i}@example.com",
        Channels.Sms => $"+4915{i:D9}",
        _ => $"{run}-token-{i:D6}",
    };
}
