namespace Streaming.ProviderFakes;

/// <summary>One request a fake received: which provider channel, the event it carried, the target, when, and the status it got.</summary>
public sealed record FakeRequest(string Channel, string? EventId, string Target, DateTimeOffset At, int Status)
{
    /// <summary>Protocol details worth asserting on: apns-* headers and the HTTP version for APNs, FCM android options, SendGrid mail headers.</summary>
    public IReadOnlyDictionary<string, string> Details { get; init; } = new Dictionary<string, string>();
}
