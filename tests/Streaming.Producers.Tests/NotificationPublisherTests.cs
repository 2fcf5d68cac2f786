using System.Diagnostics;
using System.Text;
using Microsoft.Extensions.Options;
using Streaming.Contracts;
using Streaming.Testing;

namespace Streaming.Producers.Tests;

/// <summary>NotificationPublisher: what it writes (Avro, key, headers, trace context), in what order, and how it fails.</summary>
public sealed class NotificationPublisherTests(LocalStackFixture fx)
{
    [Fact(Timeout = TestLimits.TimeoutMs)]
    public async Task publishes_avro_keyed_by_user_with_trace_context_and_source_service_headers()
    {
        var topic = fx.NewTopic("pub");
        using var publisher = new NotificationPublisher(Options.Create(PublisherSamples.Options(fx, topic)));
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == NotificationPublisher.ActivitySourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(listener);
        using var parent = new Activity("checkout.order-paid").SetIdFormat(ActivityIdFormat.W3C).Start();

        var receipt = await publisher.PublishAsync(PublisherSamples.Valid(), TestContext.Current.CancellationToken);

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
    public async Task a_collapse_key_is_published_and_an_overlong_one_rejected()
    {
        var topic = fx.NewTopic("pub-collapse");
        using var publisher = new NotificationPublisher(Options.Create(PublisherSamples.Options(fx, topic)));

        var receipt = await publisher.PublishAsync(PublisherSamples.Valid() with { CollapseKey = "chat-42" }, TestContext.Current.CancellationToken);
        var bad = await Assert.ThrowsAsync<NotificationValidationException>(() => publisher.PublishAsync(PublisherSamples.Valid() with { CollapseKey = new string('k', 65) }, TestContext.Current.CancellationToken));

        var published = Assert.Single(fx.Read<NotificationRequested>(topic, 1)).Value!;
        Assert.Equal((receipt.EventId, "chat-42"), (published.eventId, published.collapseKey));
        Assert.Equal("invalid-collapse-key", Assert.Single(bad.Errors).Code);
    }

    [Fact(Timeout = TestLimits.TimeoutMs)]
    public async Task invalid_request_throws_a_typed_error_listing_every_problem_and_sends_nothing()
    {
        var topic = fx.NewTopic("pub-invalid");
        using var publisher = new NotificationPublisher(Options.Create(PublisherSamples.Options(fx, topic)));

        var ex = await Assert.ThrowsAsync<NotificationValidationException>(() => publisher.PublishAsync(
            PublisherSamples.Valid() with { UserId = null, Phone = "12345", Category = "unknown" }, TestContext.Current.CancellationToken));

        Assert.Equal(["invalid-phone", "missing-recipient", "unknown-category"], ex.Errors.Select(e => e.Code).Order());
        Assert.Equal(0, fx.RecordCount(topic));
    }

    [Fact(Timeout = TestLimits.TimeoutMs)]
    public async Task one_users_requests_share_a_partition_and_keep_their_order()
    {
        var topic = fx.NewTopic("pub-order");
        using var publisher = new NotificationPublisher(Options.Create(PublisherSamples.Options(fx, topic)));

        var receipts = await Task.WhenAll(Enumerable.Range(0, 50).Select(i => publisher.PublishAsync(PublisherSamples.Valid("ordered-user") with { EventId = $"order-evt-{i:D4}" }, TestContext.Current.CancellationToken)));

        Assert.Single(receipts.Select(r => r.Partition).Distinct());
        var read = fx.Read<NotificationRequested>(topic, 50).Select(r => r.Value!.eventId).ToList();
        Assert.Equal(Enumerable.Range(0, 50).Select(i => $"order-evt-{i:D4}"), read);
    }

    [Fact(Timeout = TestLimits.TimeoutMs)]
    public async Task unreachable_schema_registry_fails_with_a_publish_error_not_a_hang()
    {
        var topic = fx.NewTopic("pub-noregistry");
        var options = PublisherSamples.Options(fx, topic);
        options.SchemaRegistry = new() { Url = "http://127.0.0.1:1", RequestTimeoutMs = 2000 };
        using var publisher = new NotificationPublisher(Options.Create(options));

        var ex = await Assert.ThrowsAsync<NotificationPublishException>(() => publisher.PublishAsync(PublisherSamples.Valid(), TestContext.Current.CancellationToken));

        Assert.NotNull(ex.EventId);
        Assert.Equal(0, fx.RecordCount(topic));
    }
}
