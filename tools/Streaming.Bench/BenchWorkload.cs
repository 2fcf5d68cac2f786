using Streaming.Contracts;
using Streaming.Producers;

namespace Streaming.Bench;

/// <summary>
/// The bench population: every user has an email, a phone and one device (ios or android), no preferences; request i
/// names exactly one channel (push, email, sms in turn), so each request gives exactly one channel message and one
/// final DeliveryStatus, which lets every stage check its counts exactly.
/// </summary>
internal static class BenchWorkload
{
    public static string UserId(int i) => $"bench-user-{i:D6}";

    public static string Email(int user) => $"user{user}@example.com";

    public static async Task SeedAsync(ContactInfoPublisher contacts, int users, CancellationToken ct)
    {
        var writes = new List<Task>(1024);
        for (var i = 0; i < users; i++)
        {
            var user = UserId(i);
            writes.Add(contacts.PutUserAsync(user, new UserProfileUpdate
            {
                DisplayName = $"Bench User {i}",
                Email = Email(i),
                Phone = $"+1415555{i % 10000:D4}",
                Locale = "en",
                TimeZone = "UTC",
            }, ct));
            writes.Add(i % 2 == 0
                ? contacts.PutDeviceAsync(user, $"{i:x8}{i:x8}{i:x8}{i:x8}{i:x8}{i:x8}{i:x8}{i:x8}", new DeviceRegistration { Platform = "ios", App = "com.example.bench" }, ct)
                : contacts.PutDeviceAsync(user, $"fcm{i:D6}:APA91bBench{i:X8}", new DeviceRegistration { Platform = "android", App = "com.example.bench" }, ct));
            if (writes.Count >= 1024)
            {
                await Task.WhenAll(writes); // bounded in flight: the mock drops what nobody read once a partition passes 5 MiB
                writes.Clear();
            }
        }

        await Task.WhenAll(writes);
    }

    private static readonly IReadOnlyList<string>[] ChannelRotation = [[Channels.Push], [Channels.Email], [Channels.Sms]];

    public static NotificationRequest Request(int i, int users) => new()
    {
        UserId = UserId((int)((uint)(i * 2654435761u) % (uint)users)),
        Category = "social",
        TemplateId = "new-comment",
        Channels = ChannelRotation[i % ChannelRotation.Length],
        Parameters = new Dictionary<string, string> { ["author"] = "Sam", ["snippet"] = "Great post!" },
    };

    /// <summary>The same request as an event, for stages that bypass the client library (pre-loaded topics).</summary>
    public static NotificationRequested Event(int i, int users, DateTime now)
    {
        var r = Request(i, users);
        return new NotificationRequested
        {
            eventId = $"bench-evt-{i:D9}",
            userId = r.UserId!,
            category = r.Category!,
            priority = "normal",
            channels = [.. r.Channels!],
            templateId = r.TemplateId!,
            templateParameters = new Dictionary<string, string>(r.Parameters!),
            sourceService = "bench",
            createdAt = now,
        };
    }

    public static string[] ChannelTopics => [.. Topics.SenderChannels.Select(Topics.ForChannel)];
}
