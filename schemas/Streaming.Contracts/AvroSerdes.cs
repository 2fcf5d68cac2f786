using Avro.Specific;
using Confluent.Kafka;
using Confluent.Kafka.SyncOverAsync;
using Confluent.SchemaRegistry;
using Confluent.SchemaRegistry.Serdes;
using Streamiz.Kafka.Net.SerDes;

namespace Streaming.Contracts;

/// <summary>
/// Confluent's Avro serializer and deserializer, configured the same way in every host:
/// Confluent wire format (magic byte 0 + 4-byte schema ID + Avro body), subjects named
/// "{topic}-value" / "{topic}-key" (TopicNameStrategy, set explicitly so the client does not
/// first probe the registry's associations API), and schemas registered on first use.
/// </summary>
public static class AvroSerdes
{
    public static AvroSerializerConfig SerializerConfig(bool autoRegister = true) => new()
    {
        AutoRegisterSchemas = autoRegister,
        SubjectNameStrategy = SubjectNameStrategy.Topic,
        // A producer must never silently switch to another schema version than the one it was built with.
        UseLatestVersion = false,
    };

    /// <summary>The TopicNameStrategy subject of a topic's keys or values: "{topic}-key" / "{topic}-value".</summary>
    public static string Subject(string topic, MessageComponentType component)
        => topic + (component == MessageComponentType.Key ? "-key" : "-value");

    public static AvroDeserializerConfig DeserializerConfig() => new()
    {
        SubjectNameStrategy = SubjectNameStrategy.Topic,
    };

    /// <summary>Serializer (async and sync), for <c>ProducerBuilder.SetValueSerializer</c>; see <see cref="CachedAvroSerializer{T}"/>.</summary>
    public static CachedAvroSerializer<T> Serializer<T>(ISchemaRegistryClient registry, bool autoRegister = true)
        where T : class, ISpecificRecord, new()
        => new(registry, autoRegister);

    /// <summary>Deserializer (async and sync), for <c>ConsumerBuilder.SetValueDeserializer</c>; see <see cref="CachedAvroDeserializer{T}"/>.</summary>
    public static CachedAvroDeserializer<T> Deserializer<T>(ISchemaRegistryClient registry)
        where T : class, ISpecificRecord, new()
        => new(registry);
}

/// <summary>
/// Streamiz SerDes over the cached Confluent-format serdes (the Streamiz Avro package is not available
/// here). One instance per topology is enough: they are thread-safe and call the registry once per
/// subject (serializer) or schema ID (deserializer).
/// </summary>
public sealed class AvroSerDes<T> : AbstractSerDes<T>
    where T : class, ISpecificRecord, new()
{
    private readonly CachedAvroSerializer<T> serializer;
    private readonly CachedAvroDeserializer<T> deserializer;

    public AvroSerDes(ISchemaRegistryClient registry, bool autoRegister = true)
    {
        serializer = AvroSerdes.Serializer<T>(registry, autoRegister);
        deserializer = AvroSerdes.Deserializer<T>(registry);
    }

    public override byte[] Serialize(T data, SerializationContext context)
        => data is null ? null! : serializer.Serialize(data, context);

    // A null payload is a tombstone (compacted tables): pass it through as null.
    public override T Deserialize(byte[] data, SerializationContext context)
        => data is null ? null! : deserializer.Deserialize(data, false, context);
}
