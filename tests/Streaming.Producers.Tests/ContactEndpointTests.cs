using System.Net;
using Streaming.Contracts;
using Streaming.Testing;

namespace Streaming.Producers.Tests;

/// <summary>The contact endpoints under /v1/users: what they write to the compacted tables, and what they refuse.</summary>
public sealed class ContactEndpointTests(LocalStackFixture fx) : ApiTest(fx)
{
    [Fact(Timeout = TestLimits.TimeoutMs)]
    public async Task contact_endpoints_write_users_devices_preferences_and_a_device_tombstone()
    {
        // The contact tables are platform-wide topics; find this test's records by its unique user.
        var user = "contact-" + Guid.NewGuid().ToString("N")[..8];
        var token = "aabbccddeeff00112233445566778899";
        Assert.Equal(HttpStatusCode.Accepted, (await Api.SendAsync(HttpMethod.Put, $"/v1/users/{user}", new { displayName = "Ada", email = "ada@example.com", phone = "+14155550100", locale = "de-DE", timeZone = "Europe/Berlin" })).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await Api.SendAsync(HttpMethod.Put, $"/v1/users/{user}/devices/{token}", new { platform = "ios", app = "com.example.app" })).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await Api.SendAsync(HttpMethod.Delete, $"/v1/users/{user}/devices/{token}", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await Api.SendAsync(HttpMethod.Put, $"/v1/users/{user}/preferences", new
        {
            unsubscribedAll = false,
            channelOrder = new[] { "push", "email" },
            rules = new[] { new { category = "marketing", channel = "sms", optedIn = false } },
            quietHours = new { start = "22:00", end = "07:00", timeZone = "Europe/Berlin" },
        })).StatusCode);

        var profile = Fx.Read<UserProfile>(Topics.Users, int.MaxValue, TimeSpan.FromSeconds(3)).Single(r => r.Raw.Message.Key == user).Value!;
        Assert.Equal("Europe/Berlin", profile.timeZone);
        var devices = Fx.ReadRaw(Topics.Devices, int.MaxValue, TimeSpan.FromSeconds(3)).Where(r => r.Message.Key == $"{user}/{token}").ToList();
        Assert.Equal(2, devices.Count);
        Assert.NotNull(devices[0].Message.Value);
        Assert.Null(devices[1].Message.Value); // tombstone removes the device from the compacted table
        var prefs = Fx.Read<UserPreferences>(Topics.Preferences, int.MaxValue, TimeSpan.FromSeconds(3)).Single(r => r.Raw.Message.Key == user).Value!;
        Assert.Equal("22:00", prefs.quietHours.start);
        Assert.False(Assert.Single(prefs.rules).optedIn);
    }

    [Fact(Timeout = TestLimits.TimeoutMs)]
    public async Task contact_writes_are_validated_and_need_the_contacts_permission()
    {
        await ProblemAssert.IsProblemAsync(await Api.SendAsync(HttpMethod.Put, "/v1/users/u1", new { timeZone = "Mars/Olympus" }), HttpStatusCode.BadRequest, "invalid-time-zone");
        await ProblemAssert.IsProblemAsync(await Api.SendAsync(HttpMethod.Put, "/v1/users/u1/devices/aabbccddeeff0011", new { platform = "symbian", app = "x" }), HttpStatusCode.BadRequest, "invalid-platform");
        await ProblemAssert.IsProblemAsync(await Api.SendAsync(HttpMethod.Put, "/v1/users/u1/preferences", new { quietHours = new { start = "25:00", end = "07:00", timeZone = "UTC" } }), HttpStatusCode.BadRequest, "invalid-quiet-hours");
        await ProblemAssert.IsProblemAsync(await Api.SendAsync(HttpMethod.Put, "/v1/users/u1", new { email = "x@example.com" }, ApiHarness.OrdersKey), HttpStatusCode.Forbidden, "contacts-not-allowed");
    }
}
