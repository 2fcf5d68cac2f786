using Streaming.Producers;

namespace Streaming.Cli;

/// <summary>
/// Deterministic demo population: users with email and phone, 0-3 devices (some with tokens the provider
/// fakes reject as invalid), and preferences where some users opted out, unsubscribed or are in quiet hours.
/// </summary>
internal static class DemoData
{
    public const string InvalidTokenPrefix = "invalid";

    public static string UserId(int i) => $"demo-user-{i:D5}";

    public static async Task<int> SeedAsync(ContactInfoPublisher contacts, int users, CancellationToken ct)
    {
        var writes = new List<Task>();
        var random = new Random(42);
        string[] zones = ["Europe/Berlin", "America/New_York", "Asia/Tokyo", "UTC", "Australia/Sydney"];
        string[] locales = ["en", "de", "en", "en", "de-DE"];
        for (var i = 0; i < users; i++)
        {
            var user = UserId(i);
            writes.Add(contacts.PutUserAsync(user, new UserProfileUpdate
            {
                DisplayName = $"Demo User {i}",
                Email = $"user{i}@example.com",
                Phone = $"+1415555{i % 10000:D4}",
                Locale = locales[i % locales.Length],
                TimeZone = zones[i % zones.Length],
            }, ct));

            var devices = random.Next(0, 4);
            for (var d = 0; d < devices; d++)
            {
                var platform = ((i + d) % 3) switch { 0 => "ios", 1 => "android", _ => "web" };
                var token = i % 17 == 0 && d == 0
                    ? $"{InvalidTokenPrefix}{i:D5}{d}ffffffffffffffff"
                    : platform == "ios" ? Convert.ToHexStringLower(BitConverter.GetBytes(random.NextInt64())) + Convert.ToHexStringLower(BitConverter.GetBytes(random.NextInt64())) + $"{i:D5}{d}"
                    : $"fcm{i:D5}{d}:APA91b{random.NextInt64():X}";
                writes.Add(contacts.PutDeviceAsync(user, token, new DeviceRegistration { Platform = platform, App = "com.example.demo" }, ct));
            }

            var prefs = new PreferencesUpdate
            {
                UnsubscribedAll = i % 23 == 0,
                ChannelOrder = (i % 3) switch { 0 => ["push", "email", "sms"], 1 => ["email", "push"], _ => ["sms", "email"] },
                Rules = i % 5 == 0 ? [new ChannelRuleUpdate("marketing", "sms", false), new ChannelRuleUpdate("social", "email", false)] : null,
                QuietHours = i % 7 == 0 ? QuietNow(zones[i % zones.Length]) : null,
            };
            writes.Add(contacts.PutPreferencesAsync(user, prefs, ct));
        }

        await Task.WhenAll(writes);
        return writes.Count;
    }

    /// <summary>A two-hour quiet window around the current local time, so the demo shows deferrals.</summary>
    private static QuietHoursUpdate QuietNow(string zone)
    {
        var tz = NodaTime.DateTimeZoneProviders.Tzdb[zone];
        var local = NodaTime.SystemClock.Instance.GetCurrentInstant().InZone(tz).TimeOfDay;
        var start = local.PlusHours(-1);
        var end = local.PlusHours(1);
        return new QuietHoursUpdate($"{start.Hour:D2}:{start.Minute:D2}", $"{end.Hour:D2}:{end.Minute:D2}", zone);
    }

    /// <summary>The i-th demo request body: a realistic mix of categories, channels and a few invalid requests.</summary>
    public static object Request(int i, int users)
    {
        var user = UserId((int)((uint)(i * 2654435761u) % (uint)users));
        return (i % 100) switch
        {
            0 => new { userId = user, category = "billing", templateId = "invoice-ready", phone = "not-a-phone" }, // rejected: shows the 400 path
            < 20 => new { userId = user, category = "security", templateId = "login-alert", priority = "high", parameters = new Dictionary<string, string> { ["device"] = "Firefox on Linux" } },
            < 40 => new { userId = user, category = "billing", templateId = "invoice-ready", channels = new[] { "email" }, parameters = new Dictionary<string, string> { ["invoice"] = $"INV-{i}", ["amount"] = "19.99 EUR" } },
            < 80 => new { userId = user, category = "social", templateId = "new-comment", parameters = new Dictionary<string, string> { ["author"] = "Sam", ["snippet"] = "Great post!" } },
            _ => new { userId = user, category = "marketing", templateId = "weekly-digest", channels = new[] { "sms", "email" } },
        };
    }
}
