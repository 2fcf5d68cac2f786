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

    public static AvroDeserializerConfig DeserializerConfig() => new()
    {
        SubjectNameStrategy = SubjectNameStrategy.Topic,
    };

    /// <summary>Async serializer, for <c>ProducerBuilder.SetValueSerializer</c>.</summary>
    public static IAsyncSerializer<T> Serializer<T>(ISchemaRegistryClient registry, bool autoRegister = true)
        where T : ISpecificRecord
        => new AvroSerializer<T>(registry, SerializerConfig(autoRegister));

    /// <summary>Sync deserializer, for <c>ConsumerBuilder.SetValueDeserializer</c>.</summary>
    public static IDeserializer<T> Deserializer<T>(ISchemaRegistryClient registry)
        where T : ISpecificRecord
        => new AvroDeserializer<T>(registry, DeserializerConfig()).AsSyncOverAsync();
}

/// <summary>
/// Streamiz SerDes over Confluent's Avro serializer/deserializer (the Streamiz Avro package is not
/// available here). One instance per topology is enough: Confluent's serdes are thread-safe and
/// cache schema IDs, so the registry is called once per subject and schema.
/// </summary>
public sealed class AvroSerDes<T> : AbstractSerDes<T>
    where T : class, ISpecificRecord
{
    private readonly ISerializer<T> serializer;
    private readonly IDeserializer<T> deserializer;

    public AvroSerDes(ISchemaRegistryClient registry, bool autoRegister = true)
    {
        serializer = new AvroSerializer<T>(registry, AvroSerdes.SerializerConfig(autoRegister)).AsSyncOverAsync();
        deserializer = AvroSerdes.Deserializer<T>(registry);
    }

    public override byte[] Serialize(T data, SerializationContext context)
        => data is null ? null! : serializer.Serialize(data, context);

    // A null payload is a tombstone (compacted tables): pass it through as null.
    public override T Deserialize(byte[] data, SerializationContext context)
        => data is null ? null! : deserializer.Deserialize(data, false, context);
}
