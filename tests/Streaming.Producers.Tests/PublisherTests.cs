using System.Diagnostics;
using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Streaming.Contracts;
using Streaming.Testing;

namespace Streaming.Producers.Tests;

public sealed class PublisherTests(LocalStackFixture fx)
{
    private NotificationPublisherOptions Options(string topic) => new()
    {
        SourceService = "checkout",
        Topic = topic,
        Producer = new() { BootstrapServers = fx.BootstrapServers },
        SchemaRegistry = new() { Url = fx.RegistryUrl },
        Catalog = NotificationCatalog.Demo(),
    };

    private static NotificationRequest Valid(string user = "pub-user") => new()
    {
        UserId = user,
        Category = "social",
        TemplateId = "new-comment",
        Parameters = new Dictionary<string, string> { ["author"] = "Bob", ["snippet"] = "Nice!" },
    };

    [Fact(Timeout = TestLimits.TimeoutMs)]
    public async Task publishes_avro_keyed_by_user_with_trace_context_and_source_service_headers()
    {
        var topic = fx.NewTopic("pub");
        using var publisher = new NotificationPublisher(Microsoft.Extensions.Options.Options.Create(Options(topic)));
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == NotificationPublisher.ActivitySourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(listener);
        using var parent = new Activity("checkout.order-paid").SetIdFormat(ActivityIdFormat.W3C).Start();

        var receipt = await publisher.PublishAsync(Valid(), TestContext.Current.CancellationToken);

        var (raw, evt) = Assert.Single(fx.Read<NotificationRequested>(topic, 1));
        Assert.Equal("pub-user", raw.Message.Key);
        Assert.Equal(receipt.Offset, raw.Offset.Value);
        Assert.Equal(receipt.EventId, evt!.eventId);
        Assert.Equal("checkout", Encoding.UTF8.GetString(raw.Message.Headers.GetLastBytes(HeaderNames.SourceService)));
        Assert.Equal(receipt.EventId, Encoding.UTF8.GetString(raw.Message.Headers.GetLastBytes(HeaderNames.EventId)));
        var traceparent = Encoding.ASCII.GetString(raw.Message.Headers.GetLastBytes(HeaderNames.TraceParent));
        var context = TraceContext.Extract(raw.Message.Headers);
        Assert.Equal(parent.TraceId, context.TraceId); // the publish span is a child of the caller's trace
        Assert.StartsWith("00-" + parent.TraceId, traceparent);
    }

    [Fact(Timeout = TestLimits.TimeoutMs)]
    public async Task invalid_request_throws_a_typed_error_listing_every_problem_and_sends_nothing()
    {
        var topic = fx.NewTopic("pub-invalid");
        using var publisher = new NotificationPublisher(Microsoft.Extensions.Options.Options.Create(Options(topic)));

        var ex = await Assert.ThrowsAsync<NotificationValidationException>(() => publisher.PublishAsync(
            Valid() with { UserId = null, Phone = "12345", Category = "unknown" }, TestContext.Current.CancellationToken));

        Assert.Equal(["invalid-phone", "missing-recipient", "unknown-category"], ex.Errors.Select(e => e.Code).Order());
        Assert.Equal(0, fx.RecordCount(topic));
    }

    [Fact(Timeout = TestLimits.TimeoutMs)]
    public async Task a_collapse_key_is_published_and_an_overlong_one_rejected()
    {
        var topic = fx.NewTopic("pub-collapse");
        using var publisher = new NotificationPublisher(Microsoft.Extensions.Options.Options.Create(Options(topic)));

        var receipt = await publisher.PublishAsync(Valid() with { CollapseKey = "chat-42" }, TestContext.Current.CancellationToken);
        var bad = await Assert.ThrowsAsync<NotificationValidationException>(() => publisher.PublishAsync(Valid() with { CollapseKey = new string('k', 65) }, TestContext.Current.CancellationToken));

        var published = Assert.Single(fx.Read<NotificationRequested>(topic, 1)).Value!;
        Assert.Equal((receipt.EventId, "chat-42"), (published.eventId, published.collapseKey));
        Assert.Equal("invalid-collapse-key", Assert.Single(bad.Errors).Code);
    }

    [Fact(Timeout = TestLimits.TimeoutMs)]
    public async Task one_users_requests_share_a_partition_and_keep_their_order()
    {
        var topic = fx.NewTopic("pub-order");
        using var publisher = new NotificationPublisher(Microsoft.Extensions.Options.Options.Create(Options(topic)));

        var receipts = await Task.WhenAll(Enumerable.Range(0, 50).Select(i => publisher.PublishAsync(Valid("ordered-user") with { EventId = $"order-evt-{i:D4}" }, TestContext.Current.CancellationToken)));

        Assert.Single(receipts.Select(r => r.Partition).Distinct());
        var read = fx.Read<NotificationRequested>(topic, 50).Select(r => r.Value!.eventId).ToList();
        Assert.Equal(Enumerable.Range(0, 50).Select(i => $"order-evt-{i:D4}"), read);
    }

    [Fact(Timeout = TestLimits.TimeoutMs)]
    public async Task unreachable_schema_registry_fails_with_a_publish_error_not_a_hang()
    {
        var topic = fx.NewTopic("pub-noregistry");
        var options = Options(topic);
        options.SchemaRegistry = new() { Url = "http://127.0.0.1:1", RequestTimeoutMs = 2000 };
        using var publisher = new NotificationPublisher(Microsoft.Extensions.Options.Options.Create(options));

        var ex = await Assert.ThrowsAsync<NotificationPublishException>(() => publisher.PublishAsync(Valid(), TestContext.Current.CancellationToken));

        Assert.NotNull(ex.EventId);
        Assert.Equal(0, fx.RecordCount(topic));
    }

    [Fact(Timeout = TestLimits.TimeoutMs)]
    public async Task a_service_adds_the_publisher_in_one_line_from_configuration()
    {
        var topic = fx.NewTopic("pub-di");
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Kafka:Producer:BootstrapServers"] = fx.BootstrapServers,
            ["Kafka:Producer:LingerMs"] = "2",
            ["SchemaRegistry:Url"] = fx.RegistryUrl,
            ["NotificationPublisher:SourceService"] = "billing-service",
            ["NotificationPublisher:Topic"] = topic,
        }).Build();
        await using var services = new ServiceCollection().AddLogging().AddNotificationPublisher(config).BuildServiceProvider();

        var publisher = services.GetRequiredService<NotificationPublisher>();
        var options = services.GetRequiredService<IOptions<NotificationPublisherOptions>>().Value;
        await publisher.PublishAsync(Valid("di-user"), TestContext.Current.CancellationToken);

        Assert.Equal(2, options.Producer.LingerMs);
        Assert.True(options.EffectiveProducerConfig().EnableIdempotence);
        Assert.Equal(Confluent.Kafka.Acks.All, options.EffectiveProducerConfig().Acks);
        Assert.Equal("billing-service", Assert.Single(fx.Read<NotificationRequested>(topic, 1)).Value!.sourceService);
    }

    [Fact(Timeout = TestLimits.TimeoutMs)]
    public void missing_configuration_is_reported_at_start_with_the_setting_name()
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["NotificationPublisher:SourceService"] = "svc",
        }).Build();
        using var services = new ServiceCollection().AddLogging().AddNotificationPublisher(config).BuildServiceProvider();

        var ex = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<NotificationPublisherOptions>>().Value);
        Assert.Contains("Kafka:Producer:BootstrapServers", ex.Message);
        Assert.Contains("SchemaRegistry:Url", ex.Message);
    }

    [Fact(Timeout = TestLimits.TimeoutMs)]
    public void validator_checks_time_bounds_against_the_injected_clock()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
        var validator = new NotificationValidator(NotificationCatalog.Demo(), new ValidationLimits(), clock);
        string[] Codes(NotificationRequest r) => validator.Validate(r, "svc").Select(e => e.Code).ToArray();

        Assert.Empty(Codes(Valid() with { SendAt = clock.GetUtcNow().AddMinutes(-4) })); // inside the 5 min grace
        Assert.Equal(["send-at-in-past"], Codes(Valid() with { SendAt = clock.GetUtcNow().AddMinutes(-6) }));
        Assert.Equal(["send-at-too-far"], Codes(Valid() with { SendAt = clock.GetUtcNow().AddDays(31) }));
        Assert.Equal(["already-expired"], Codes(Valid() with { ExpiresAt = clock.GetUtcNow().AddSeconds(-1) }));
        Assert.Equal(["expires-before-send"], Codes(Valid() with { SendAt = clock.GetUtcNow().AddHours(2), ExpiresAt = clock.GetUtcNow().AddHours(1) }));
        Assert.Equal(["duplicate-channel"], Codes(Valid() with { Channels = ["sms", "sms"] }));
        Assert.Equal(["invalid-locale"], Codes(Valid() with { Locale = "english please" }));
        Assert.Equal(["too-many-parameters"], Codes(Valid() with { Parameters = Enumerable.Range(0, 51).ToDictionary(i => $"p{i}", i => "v") }));

        var evt = validator.ToEvent(Valid() with { Phone = "+14155550100", Locale = "de-DE" }, "svc");
        Assert.Equal(clock.GetUtcNow().UtcDateTime, evt.createdAt);
        Assert.Equal("normal", evt.priority);
        Assert.Empty(evt.channels); // automatic channel choice
    }

    [Fact(Timeout = TestLimits.TimeoutMs)]
    public async Task a_device_put_followed_at_once_by_its_delete_ends_as_a_tombstone()
    {
        using var contacts = new ContactInfoPublisher(Microsoft.Extensions.Options.Options.Create(Options("unused")));
        var user = "order-dev-" + Guid.NewGuid().ToString("N")[..8];
        var writes = new List<Task>();
        for (var i = 0; i < 20; i++)
        {
            var token = $"token{i:D4}aabbccdd";
            writes.Add(contacts.PutDeviceAsync(user, token, new DeviceRegistration { Platform = "android", App = "com.example" }, TestContext.Current.CancellationToken));
            writes.Add(contacts.DeleteDeviceAsync(user, token, TestContext.Current.CancellationToken)); // not awaited in between
        }

        await Task.WhenAll(writes);

        var mine = fx.ReadRaw(Topics.Devices, int.MaxValue, TimeSpan.FromSeconds(3)).Where(r => r.Message.Key.StartsWith(user + "/", StringComparison.Ordinal)).ToList();
        Assert.Equal(40, mine.Count);
        Assert.All(mine.GroupBy(r => r.Message.Key), g => Assert.Null(g.OrderBy(r => r.Offset.Value).Last().Message.Value));
    }
}
