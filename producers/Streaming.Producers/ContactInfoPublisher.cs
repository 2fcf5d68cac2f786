using Confluent.Kafka;
using Confluent.SchemaRegistry;
using Microsoft.Extensions.Options;
using Streaming.Contracts;

namespace Streaming.Producers;

/// <summary>
/// Writes the compacted tables the topology enriches from: users and preferences (key = userId),
/// devices (key = "{userId}/{token}", so one device can be removed with a tombstone) and templates.
/// Thread-safe; one per process.
/// </summary>
public sealed class ContactInfoPublisher : IDisposable
{
    private readonly ISchemaRegistryClient registry;
    private readonly IProducer<string, byte[]?> producer;
    // Synchronous serializers, so writes are enqueued in call order (a device put followed by its delete
    // must not reach the partition reversed); schema IDs are cached after the first call.
    private readonly ISerializer<UserProfile> profiles;
    private readonly ISerializer<UserDevice> devices;
    private readonly ISerializer<UserPreferences> preferences;
    private readonly ISerializer<NotificationTemplate> templates;
    private readonly TimeProvider time;

    /// <summary>Creates the publisher with the producer and registry of <see cref="NotificationPublisherOptions"/>.</summary>
    public ContactInfoPublisher(IOptions<NotificationPublisherOptions> options, TimeProvider? time = null)
    {
        this.time = time ?? TimeProvider.System;
        registry = options.Value.SchemaRegistry.CreateClient();
        producer = new ProducerBuilder<string, byte[]?>(options.Value.EffectiveProducerConfig()).Build();
        profiles = AvroSerdes.Serializer<UserProfile>(registry);
        devices = AvroSerdes.Serializer<UserDevice>(registry);
        preferences = AvroSerdes.Serializer<UserPreferences>(registry);
        templates = AvroSerdes.Serializer<NotificationTemplate>(registry);
    }

    /// <summary>Validates and writes a user profile.</summary>
    /// <exception cref="NotificationValidationException">Invalid contact information; nothing was written.</exception>
    public Task<PublishReceipt> PutUserAsync(string userId, UserProfileUpdate update, CancellationToken ct = default)
        => WriteAsync(Topics.Users, userId, ContactInfoValidator.ToProfile(userId, update, time.GetUtcNow()), profiles, ct);

    /// <summary>Validates and writes one device registration.</summary>
    /// <exception cref="NotificationValidationException">Invalid registration; nothing was written.</exception>
    public Task<PublishReceipt> PutDeviceAsync(string userId, string token, DeviceRegistration registration, CancellationToken ct = default)
        => WriteAsync(Topics.Devices, Topics.DeviceKey(userId, token), ContactInfoValidator.ToDevice(userId, token, registration, time.GetUtcNow()), devices, ct);

    /// <summary>Removes one device: a tombstone (null value) under its key.</summary>
    /// <exception cref="NotificationValidationException">Invalid user ID or token; nothing was written.</exception>
    public Task<PublishReceipt> DeleteDeviceAsync(string userId, string token, CancellationToken ct = default)
    {
        var errors = new List<ValidationError>();
        ContactInfoValidator.ValidateUserId(userId, errors);
        ContactInfoValidator.ValidateToken(token, errors);
        if (errors.Count > 0)
        {
            throw new NotificationValidationException(errors);
        }

        return SendAsync(Topics.Devices, Topics.DeviceKey(userId, token), null, userId, ct);
    }

    /// <summary>Validates and writes a user's preferences.</summary>
    /// <exception cref="NotificationValidationException">Invalid preferences; nothing was written.</exception>
    public Task<PublishReceipt> PutPreferencesAsync(string userId, PreferencesUpdate update, CancellationToken ct = default)
        => WriteAsync(Topics.Preferences, userId, ContactInfoValidator.ToPreferences(userId, update, time.GetUtcNow()), preferences, ct);

    /// <summary>Writes one template in one locale to the templates table.</summary>
    public Task<PublishReceipt> PutTemplateAsync(NotificationTemplate template, CancellationToken ct = default)
        => WriteAsync(Topics.Templates, Topics.TemplateKey(template.templateId, template.locale), template, templates, ct);

    private Task<PublishReceipt> WriteAsync<T>(string topic, string key, T value, ISerializer<T> serializer, CancellationToken ct)
    {
        byte[] bytes;
        try
        {
            bytes = serializer.Serialize(value, new SerializationContext(MessageComponentType.Value, topic));
        }
        catch (Exception ex) when (ex is SchemaRegistryException or HttpRequestException or TaskCanceledException or AggregateException)
        {
            throw new NotificationPublishException($"Schema registry unavailable for {topic}: {ex.Message}", true, null, ex);
        }

        return SendAsync(topic, key, bytes, key, ct);
    }

    private async Task<PublishReceipt> SendAsync(string topic, string key, byte[]? value, string id, CancellationToken ct)
    {
        try
        {
            var r = await producer.ProduceAsync(topic, new Message<string, byte[]?> { Key = key, Value = value }, ct).ConfigureAwait(false);
            return new PublishReceipt(id, r.Topic, r.Partition.Value, r.Offset.Value);
        }
        catch (ProduceException<string, byte[]?> ex)
        {
            throw new NotificationPublishException($"Writing {topic}/{key} failed: {ex.Error.Reason}", !ex.Error.IsFatal, null, ex);
        }
    }

    /// <summary>Flushes and releases the producer.</summary>
    public void Dispose()
    {
        producer.Flush(TimeSpan.FromSeconds(10));
        producer.Dispose();
        registry.Dispose();
    }
}
