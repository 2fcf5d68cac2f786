using Streaming.Contracts;

namespace Streaming.LocalStack.Tests;

/// <summary>A NotificationRequested with every kind of field set, and the comparison the serdes tests make.</summary>
internal static class SampleRequests
{
    public static NotificationRequested New() => new()
    {
        eventId = Guid.NewGuid().ToString(),
        userId = "user-1",
        category = "security",
        priority = "high",
        channels = ["sms", "email"],
        templateId = "login-alert",
        templateParameters = new Dictionary<string, string> { ["city"] = "Lyon" },
        locale = "fr-FR",
        email = null,
        phone = "+33612345678",
        sendAt = null,
        expiresAt = new DateTime(2030, 1, 2, 3, 4, 5, DateTimeKind.Utc),
        sourceService = "auth",
        createdAt = new DateTime(2025, 6, 7, 8, 9, 10, 123, DateTimeKind.Utc),
    };

    public static void AssertSame(NotificationRequested expected, NotificationRequested actual)
    {
        Assert.Equal(
            (expected.eventId, expected.userId, expected.category, expected.priority, expected.templateId, expected.locale, expected.email, expected.phone, expected.sourceService),
            (actual.eventId, actual.userId, actual.category, actual.priority, actual.templateId, actual.locale, actual.email, actual.phone, actual.sourceService));
        Assert.Equal(expected.channels, actual.channels);
        Assert.Equal(expected.templateParameters, actual.templateParameters);
        Assert.Equal((expected.sendAt, expected.expiresAt, expected.createdAt), (actual.sendAt, actual.expiresAt, actual.createdAt));
    }
}
