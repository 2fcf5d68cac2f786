using System.Text;
using Confluent.Kafka;
using Confluent.SchemaRegistry;
using Microsoft.Extensions.Time.Testing;
using Streaming.Contracts;
using Streaming.Testing;
using Streamiz.Kafka.Net;
using Streamiz.Kafka.Net.Mock;
using Streamiz.Kafka.Net.SerDes;
using Streamiz.Kafka.Net.Stream;

namespace Streaming.Processors.Tests;

/// <summary>
/// The topology in a TopologyTestDriver (synchronous, one task) with Avro through the assembly's local registry,
/// a fake clock for every policy decision, and its own state folder.
/// </summary>
internal sealed class TopologyHarness : IDisposable
{
    /// <summary>Monday 2 March 2026, 12:00 UTC.</summary>
    public static readonly DateTimeOffset Start = new(2026, 3, 2, 12, 0, 0, TimeSpan.Zero);

    public static readonly TimeSpan ReleaseInterval = TimeSpan.FromSeconds(1);

    private readonly ISchemaRegistryClient registry;
    private readonly AvroSerDes<NotificationRequested> requestSerdes;
    private readonly string stateDir = Path.Combine(Path.GetTempPath(), "processors-tests", Guid.NewGuid().ToString("N"));

    public TopologyHarness(LocalStackFixture fx)
    {
        registry = fx.NewRegistryClient();
        var builder = new StreamBuilder();
        NotificationTopology.Build(builder, new TopologySettings(registry, NotificationCatalog.Demo(), Time) { ReleaseInterval = ReleaseInterval });
        var config = new StreamConfig<StringSerDes, StringSerDes>
        {
            ApplicationId = "processors-test-" + Guid.NewGuid().ToString("N")[..8],
            StateDir = stateDir,
        };
        Driver = new TopologyTestDriver(builder.Build(), config);

        var strings = new StringSerDes();
        requestSerdes = new AvroSerDes<NotificationRequested>(registry);
        RawRequests = Driver.CreateInputTopic(Topics.Requested, new ByteArraySerDes(), new ByteArraySerDes());
        Users = Driver.CreateInputTopic(Topics.Users, strings, new AvroSerDes<UserProfile>(registry));
        Devices = Driver.CreateInputTopic(Topics.Devices, strings, new AvroSerDes<UserDevice>(registry));
        Preferences = Driver.CreateInputTopic(Topics.Preferences, strings, new AvroSerDes<UserPreferences>(registry));
        Templates = Driver.CreateInputTopic(Topics.Templates, strings, new AvroSerDes<NotificationTemplate>(registry));
        var channel = new AvroSerDes<ChannelNotification>(registry);
        Apns = Driver.CreateOutputTopic(Topics.PushApns, TimeSpan.FromSeconds(1), strings, channel);
        Fcm = Driver.CreateOutputTopic(Topics.PushFcm, TimeSpan.FromSeconds(1), strings, channel);
        Sms = Driver.CreateOutputTopic(Topics.Sms, TimeSpan.FromSeconds(1), strings, channel);
        Email = Driver.CreateOutputTopic(Topics.Email, TimeSpan.FromSeconds(1), strings, channel);
        Statuses = Driver.CreateOutputTopic(Topics.DeliveryStatus, TimeSpan.FromSeconds(1), strings, new AvroSerDes<DeliveryStatus>(registry));
        Dlq = Driver.CreateOutputTopic(Topics.DeadLetter, TimeSpan.FromSeconds(1), new ByteArraySerDes(), new ByteArraySerDes());
    }

    public FakeTimeProvider Time { get; } = new(Start);

    public TopologyTestDriver Driver { get; }

    public TestInputTopic<byte[], byte[]> RawRequests { get; }

    public TestInputTopic<string, UserProfile> Users { get; }

    public TestInputTopic<string, UserDevice> Devices { get; }

    public TestInputTopic<string, UserPreferences> Preferences { get; }

    public TestInputTopic<string, NotificationTemplate> Templates { get; }

    public TestOutputTopic<string, ChannelNotification> Apns { get; }

    public TestOutputTopic<string, ChannelNotification> Fcm { get; }

    public TestOutputTopic<string, ChannelNotification> Sms { get; }

    public TestOutputTopic<string, ChannelNotification> Email { get; }

    public TestOutputTopic<string, DeliveryStatus> Statuses { get; }

    public TestOutputTopic<byte[], byte[]> Dlq { get; }

    public void User(string userId, string? email = "user@example.com", string? phone = "+14155550100", string locale = "en", string timeZone = "UTC", string name = "Ada")
        => Users.PipeInput(userId, new UserProfile
        {
            userId = userId,
            displayName = name,
            email = email,
            phone = phone,
            locale = locale,
            timeZone = timeZone,
            updatedAt = Start.UtcDateTime,
        });

    public void Device(string userId, string token, string platform)
        => Devices.PipeInput(Topics.DeviceKey(userId, token), new UserDevice { userId = userId, token = token, platform = platform, app = "com.example.app", lastSeenAt = Start.UtcDateTime });

    public void Prefs(string userId, Action<UserPreferences> configure)
    {
        var prefs = new UserPreferences { userId = userId, channelOrder = [], rules = [], updatedAt = Start.UtcDateTime };
        configure(prefs);
        Preferences.PipeInput(userId, prefs);
    }

    public void Template(string templateId, string locale, string category, string body, string? subject = null)
        => Templates.PipeInput(Topics.TemplateKey(templateId, locale), new NotificationTemplate
        {
            templateId = templateId,
            locale = locale,
            category = category,
            subject = subject,
            body = body,
            updatedAt = Start.UtcDateTime,
        });

    public static NotificationRequested Request(string userId, string eventId, params string[] channels) => new()
    {
        eventId = eventId,
        userId = userId,
        category = "social",
        priority = "normal",
        channels = channels.ToList(),
        templateId = "new-comment",
        templateParameters = new Dictionary<string, string> { ["author"] = "Bob", ["snippet"] = "Nice!" },
        sourceService = "tests",
        createdAt = Start.UtcDateTime,
    };

    public void Send(NotificationRequested request, string? traceparent = null)
    {
        var headers = new Headers { { HeaderNames.EventId, Encoding.UTF8.GetBytes(request.eventId) } };
        if (traceparent is not null)
        {
            headers.Add(HeaderNames.TraceParent, Encoding.ASCII.GetBytes(traceparent));
        }

        // One input topic per name in the driver: requests go in as the bytes the topology reads anyway.
        var value = requestSerdes.Serialize(request, new SerializationContext(MessageComponentType.Value, Topics.Requested, headers));
        RawRequests.PipeInput(Encoding.UTF8.GetBytes(request.userId), value, headers);
    }

    /// <summary>Moves the policy clock and the driver's wall clock together, so the punctuators that are due run.</summary>
    public void Advance(TimeSpan by)
    {
        Time.Advance(by);
        Driver.AdvanceWallClockTime(by < ReleaseInterval ? ReleaseInterval : by);
    }

    public void Send(byte[]? key, NotificationRequested request)
    {
        var value = requestSerdes.Serialize(request, new SerializationContext(MessageComponentType.Value, Topics.Requested));
        RawRequests.PipeInput(key!, value);
    }

    public static List<ConsumeResult<string, T>> Drain<T>(TestOutputTopic<string, T> topic) => topic.ReadKeyValueList().ToList();

    /// <summary>The last value of header <paramref name="name"/> as text.</summary>
    public static string Header(Headers headers, string name) => Encoding.UTF8.GetString(headers.GetLastBytes(name));

    /// <summary>Makes <paramref name="request"/> a security login alert: a mandatory category with German and English texts.</summary>
    public static NotificationRequested Security(NotificationRequested request)
    {
        request.category = "security";
        request.templateId = "login-alert";
        request.templateParameters = new Dictionary<string, string> { ["device"] = "iPhone" };
        return request;
    }

    public void Dispose()
    {
        Driver.Dispose();
        registry.Dispose();
        try
        {
            Directory.Delete(stateDir, recursive: true);
        }
        catch (IOException)
        {
            // RocksDB may still hold a lock file for a moment; the folder is under the temp path.
        }
    }
}
