using System.Diagnostics;
using System.Text;
using Confluent.Kafka;
using Confluent.SchemaRegistry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Streaming.Contracts;

namespace Streaming.Producers;

/// <summary>
/// Publishes notification requests to Kafka: validates them, serializes them as Avro through the schema
/// registry, and writes them with an idempotent producer (acks=all) keyed by user ID, with the W3C trace
/// context and the source service in headers. Thread-safe; create one per process and dispose it on
/// shutdown (pending records are flushed).
/// </summary>
public sealed class NotificationPublisher : IDisposable
{
    /// <summary>Name of <see cref="ActivitySource"/>, for listeners (safe to read before the type is initialised).</summary>
    public const string ActivitySourceName = "Streaming.Producers";

    /// <summary>ActivitySource of the publish spans.</summary>
    public static readonly ActivitySource ActivitySource = new(ActivitySourceName);

    private readonly NotificationPublisherOptions options;
    private readonly NotificationValidator validator;
    private readonly ISchemaRegistryClient registry;
    private readonly IProducer<string, NotificationRequested> producer;
    private readonly ILogger logger;
    private readonly byte[] sourceServiceHeader;

    /// <summary>Creates the publisher and its Kafka producer.</summary>
    public NotificationPublisher(IOptions<NotificationPublisherOptions> options, ILogger<NotificationPublisher>? logger = null, TimeProvider? time = null)
    {
        this.options = options.Value;
        if (string.IsNullOrWhiteSpace(this.options.SourceService))
        {
            throw new InvalidOperationException("NotificationPublisher:SourceService is not configured.");
        }

        this.logger = (ILogger?)logger ?? NullLogger.Instance;
        validator = new NotificationValidator(this.options.Catalog, this.options.Limits, time ?? TimeProvider.System);
        registry = this.options.SchemaRegistry.CreateClient();
        producer = new ProducerBuilder<string, NotificationRequested>(this.options.EffectiveProducerConfig())
            // Serialize synchronously: with an async serializer ProduceAsync awaits serialization before
            // enqueueing, so two calls for the same user could reach the partition in the wrong order.
            // Schema IDs are cached after the first call, so only that one waits for the registry.
            .SetValueSerializer((ISerializer<NotificationRequested>)AvroSerdes.Serializer<NotificationRequested>(registry))
            .SetLogHandler((_, m) => PublisherLog.Librdkafka(this.logger, m.Level.ToString(), m.Facility, m.Message))
            .SetErrorHandler((_, e) => PublisherLog.KafkaError(this.logger, e.Code, e.Reason, e.IsFatal))
            .Build();
        sourceServiceHeader = Encoding.UTF8.GetBytes(this.options.SourceService);
    }

    /// <summary>
    /// Validates <paramref name="request"/> and returns the event that would be published, without sending it.
    /// </summary>
    /// <exception cref="NotificationValidationException">The request is invalid.</exception>
    public NotificationRequested Prepare(NotificationRequest request) => validator.ToEvent(request, options.SourceService);

    /// <summary>Lists every problem with the request (empty when valid), without sending anything.</summary>
    public IReadOnlyList<ValidationError> Validate(NotificationRequest request) => validator.Validate(request, options.SourceService);

    /// <summary>
    /// Validates and publishes one request, completing once Kafka has acknowledged it on all in-sync replicas.
    /// Requests are enqueued in call order, so calls made one after another for the same user stay in that order.
    /// </summary>
    /// <exception cref="NotificationValidationException">The request is invalid; nothing was sent.</exception>
    /// <exception cref="NotificationPublishException">Kafka or the schema registry refused or timed out; see <see cref="NotificationPublishException.IsRetriable"/>.</exception>
    public Task<PublishReceipt> PublishAsync(NotificationRequest request, CancellationToken cancellationToken = default)
        => PublishAsync(Prepare(request), cancellationToken);

    /// <summary>Publishes an already prepared event (see <see cref="Prepare"/>).</summary>
    /// <exception cref="NotificationPublishException">Kafka or the schema registry refused or timed out.</exception>
    public async Task<PublishReceipt> PublishAsync(NotificationRequested evt, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(evt);
        using var activity = ActivitySource.StartActivity($"{options.Topic} publish", ActivityKind.Producer);
        activity?.SetTag("messaging.system", "kafka");
        activity?.SetTag("messaging.destination.name", options.Topic);
        activity?.SetTag("messaging.kafka.message.key", evt.userId);
        activity?.SetTag("notification.event_id", evt.eventId);

        var headers = new Headers
        {
            { HeaderNames.SourceService, evt.sourceService == options.SourceService ? sourceServiceHeader : Encoding.UTF8.GetBytes(evt.sourceService) },
            { HeaderNames.EventId, Encoding.UTF8.GetBytes(evt.eventId) },
        };
        TraceContext.Inject(activity ?? Activity.Current, headers);

        try
        {
            var result = await producer.ProduceAsync(options.Topic, new Message<string, NotificationRequested>
            {
                Key = evt.userId,
                Value = evt,
                Headers = headers,
            }, cancellationToken).ConfigureAwait(false);
            activity?.SetTag("messaging.kafka.destination.partition", result.Partition.Value);
            return new PublishReceipt(evt.eventId, result.Topic, result.Partition.Value, result.Offset.Value);
        }
        catch (ProduceException<string, NotificationRequested> ex)
        {
            activity?.SetStatus(ActivityStatusCode.Error, ex.Error.Reason);
            var retriable = ex.Error.Code is not (ErrorCode.Local_ValueSerialization or ErrorCode.Local_KeySerialization or ErrorCode.MsgSizeTooLarge or ErrorCode.TopicAuthorizationFailed)
                && !ex.Error.IsFatal;
            PublisherLog.PublishFailed(logger, evt.eventId, ex.Error.Code, ex.Error.Reason);
            throw new NotificationPublishException($"Publishing {evt.eventId} failed: {ex.Error.Reason}", retriable, evt.eventId, ex);
        }
    }

    /// <summary>Waits up to <paramref name="timeout"/> for every pending record to be acknowledged; returns how many are still pending.</summary>
    public int Flush(TimeSpan timeout) => producer.Flush(timeout);

    /// <summary>Flushes pending records (up to 10 s) and releases the producer.</summary>
    public void Dispose()
    {
        var pending = producer.Flush(TimeSpan.FromSeconds(10));
        if (pending > 0)
        {
            PublisherLog.UnflushedOnDispose(logger, pending);
        }

        producer.Dispose();
        registry.Dispose();
    }
}
