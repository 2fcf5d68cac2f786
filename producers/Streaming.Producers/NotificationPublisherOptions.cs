using Confluent.Kafka;
using Streaming.Contracts;

namespace Streaming.Producers;

/// <summary>
/// Settings of <see cref="NotificationPublisher"/>, bound by <see cref="ServiceCollectionExtensions.AddNotificationPublisher(Microsoft.Extensions.DependencyInjection.IServiceCollection, Microsoft.Extensions.Configuration.IConfiguration)"/>
/// from the "NotificationPublisher" section; the producer from "Kafka:Producer", the registry from "SchemaRegistry" and the catalogue from "Catalog".
/// </summary>
public sealed class NotificationPublisherOptions
{
    /// <summary>Configuration section of these options.</summary>
    public const string Section = "NotificationPublisher";

    /// <summary>Name of the calling service, put in the event and the x-source-service header (required).</summary>
    public string SourceService { get; set; } = "";

    /// <summary>Topic to publish to; the platform's contract is notifications.requested.</summary>
    public string Topic { get; set; } = Topics.Requested;

    /// <summary>Content bounds.</summary>
    public ValidationLimits Limits { get; set; } = new();

    /// <summary>librdkafka producer settings (at least BootstrapServers). Idempotence and acks=all are always forced on.</summary>
    public ProducerConfig Producer { get; set; } = new();

    /// <summary>Schema registry location.</summary>
    public SchemaRegistryOptions SchemaRegistry { get; set; } = new();

    /// <summary>Known categories and templates; when empty, only the shape of category and template IDs is checked.</summary>
    public NotificationCatalog Catalog { get; set; } = new();

    /// <summary>
    /// The producer settings the library actually uses: the configured ones with idempotence, acks=all
    /// and safe defaults applied. Without idempotence a retried batch could be written twice.
    /// </summary>
    public ProducerConfig EffectiveProducerConfig()
    {
        if (string.IsNullOrWhiteSpace(Producer.BootstrapServers))
        {
            throw new InvalidOperationException("Kafka:Producer:BootstrapServers is not configured.");
        }

        var config = new ProducerConfig(new Dictionary<string, string>(Producer));
        config.EnableIdempotence = true;
        config.Acks = Acks.All;
        config.LingerMs ??= 5;
        config.MessageTimeoutMs ??= 30_000;
        config.ClientId ??= SourceService;
        // Receipts use only partition and offset: do not copy each record's key, value and headers back from
        // librdkafka into managed memory on every acknowledgement.
        config.DeliveryReportFields ??= "none";
        return config;
    }
}
