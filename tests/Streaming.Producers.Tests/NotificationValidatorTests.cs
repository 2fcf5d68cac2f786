using Microsoft.Extensions.Time.Testing;
using Streaming.Contracts;
using Streaming.Testing;

namespace Streaming.Producers.Tests;

/// <summary>NotificationValidator rules that depend on the clock, and the event it builds.</summary>
public sealed class NotificationValidatorTests
{
    [Fact(Timeout = TestLimits.TimeoutMs)]
    public void validator_checks_time_bounds_against_the_injected_clock()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
        var validator = new NotificationValidator(NotificationCatalog.Demo(), new ValidationLimits(), clock);
        string[] Codes(NotificationRequest r) => validator.Validate(r, "svc").Select(e => e.Code).ToArray();

        Assert.Empty(Codes(PublisherSamples.Valid() with { SendAt = clock.GetUtcNow().AddMinutes(-4) })); // inside the 5 min grace
        Assert.Equal(["send-at-in-past"], Codes(PublisherSamples.Valid() with { SendAt = clock.GetUtcNow().AddMinutes(-6) }));
        Assert.Equal(["send-at-too-far"], Codes(PublisherSamples.Valid() with { SendAt = clock.GetUtcNow().AddDays(31) }));
        Assert.Equal(["already-expired"], Codes(PublisherSamples.Valid() with { ExpiresAt = clock.GetUtcNow().AddSeconds(-1) }));
        Assert.Equal(["expires-before-send"], Codes(PublisherSamples.Valid() with { SendAt = clock.GetUtcNow().AddHours(2), ExpiresAt = clock.GetUtcNow().AddHours(1) }));
        Assert.Equal(["duplicate-channel"], Codes(PublisherSamples.Valid() with { Channels = ["sms", "sms"] }));
        Assert.Equal(["invalid-locale"], Codes(PublisherSamples.Valid() with { Locale = "english please" }));
        Assert.Equal(["too-many-parameters"], Codes(PublisherSamples.Valid() with { Parameters = Enumerable.Range(0, 51).ToDictionary(i => $"p{i}", i => "v") }));

        var evt = validator.ToEvent(PublisherSamples.Valid() with { Phone = "+14155550100", Locale = "de-DE" }, "svc");
        Assert.Equal(clock.GetUtcNow().UtcDateTime, evt.createdAt);
        Assert.Equal("normal", evt.priority);
        Assert.Empty(evt.channels); // automatic channel choice
    }
}
