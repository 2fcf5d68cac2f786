using System.Buffers.Binary;
using Confluent.Kafka;
using Confluent.SchemaRegistry.Serdes;
using Streaming.Contracts;

namespace Streaming.LocalStack.Tests;

/// <summary>Confluent's Avro serializer and deserializer, and the cached serdes, against the local registry: the bytes they write and what they read back.</summary>
public sealed class RegistrySerdesTests : RegistryTest
{
    [Fact(Timeout = TimeoutMs)]
    public async Task avro_serializer_writes_magic_byte_and_a_schema_id_that_resolves_and_the_deserializer_reads_it_back()
    {
        var original = SampleRequests.New();
        var context = new SerializationContext(MessageComponentType.Value, Topics.Requested);

        var bytes = await new AvroSerializer<NotificationRequested>(Client, AvroSerdes.SerializerConfig()).SerializeAsync(original, context);

        Assert.Equal(0, bytes[0]);
        var id = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(1, 4));
        var registered = await NewClient().GetSchemaAsync(id);
        Assert.Equal(NotificationRequested._SCHEMA.ToString(), Canonical(registered.SchemaString));
        Assert.Equal([$"{Topics.Requested}-value"], await Client.GetAllSubjectsAsync());

        var read = await new AvroDeserializer<NotificationRequested>(NewClient(), AvroSerdes.DeserializerConfig()).DeserializeAsync(bytes, false, context);
        SampleRequests.AssertSame(original, read);
    }

    [Fact(Timeout = TimeoutMs)]
    public async Task cached_serdes_write_confluents_exact_bytes_under_the_same_subject_and_read_each_others_output()
    {
        var original = SampleRequests.New();
        var context = new SerializationContext(MessageComponentType.Value, Topics.Requested);

        var confluentBytes = await new AvroSerializer<NotificationRequested>(Client, AvroSerdes.SerializerConfig()).SerializeAsync(original, context);
        var cachedBytes = await AvroSerdes.Serializer<NotificationRequested>(NewClient()).SerializeAsync(original, context);
        var cachedSyncBytes = AvroSerdes.Serializer<NotificationRequested>(NewClient()).Serialize(original, context);

        Assert.Equal(confluentBytes, cachedBytes);
        Assert.Equal(confluentBytes, cachedSyncBytes);
        Assert.Equal([$"{Topics.Requested}-value"], await Client.GetAllSubjectsAsync());
        SampleRequests.AssertSame(original, await AvroSerdes.Deserializer<NotificationRequested>(NewClient()).DeserializeAsync(confluentBytes, false, context));
        SampleRequests.AssertSame(original, AvroSerdes.Deserializer<NotificationRequested>(NewClient()).Deserialize(confluentBytes, false, context));
        SampleRequests.AssertSame(original, await new AvroDeserializer<NotificationRequested>(NewClient(), AvroSerdes.DeserializerConfig()).DeserializeAsync(cachedBytes, false, context));
        var deserializer = AvroSerdes.Deserializer<NotificationRequested>(NewClient());
        SampleRequests.AssertSame(original, await deserializer.DeserializeAsync(cachedBytes, false, context));
        Assert.Equal(0, deserializer.Fallbacks);
    }

    [Fact(Timeout = TimeoutMs)]
    public async Task cached_deserializer_resolves_an_older_writer_schema_and_fails_bad_bytes_with_confluents_error()
    {
        // An older producer's schema: no priority and no channels (the reader's defaults fill them in).
        var current = (global::Avro.RecordSchema)NotificationRequested._SCHEMA;
        var json = System.Text.Json.Nodes.JsonNode.Parse(current.ToString())!;
        var fields = json["fields"]!.AsArray();
        foreach (var name in new[] { "priority", "channels" })
        {
            fields.Remove(fields.Single(f => (string?)f!["name"] == name));
        }

        var older = (global::Avro.RecordSchema)global::Avro.Schema.Parse(json.ToJsonString());
        Assert.Equal(current.Fields.Count - 2, older.Fields.Count);
        var record = new global::Avro.Generic.GenericRecord(older);
        var sample = SampleRequests.New();
        foreach (var field in older.Fields)
        {
            var value = sample.Get(current.Fields.Single(f => f.Name == field.Name).Pos);
            record.Add(field.Name, value is IDictionary<string, string> map ? map.ToDictionary(kv => kv.Key, object (kv) => kv.Value) : value);
        }

        var context = new SerializationContext(MessageComponentType.Value, "older-producer");
        var bytes = await new AvroSerializer<global::Avro.Generic.GenericRecord>(Client, AvroSerdes.SerializerConfig()).SerializeAsync(record, context);
        var deserializer = AvroSerdes.Deserializer<NotificationRequested>(NewClient());

        var read = await deserializer.DeserializeAsync(bytes, false, context);

        Assert.Equal((sample.eventId, "normal", 0), (read.eventId, read.priority, read.channels.Count));
        Assert.Equal(sample.templateParameters, read.templateParameters);
        Assert.Equal(0, deserializer.Fallbacks); // resolved by the cached reader, not by Confluent's

        // An unknown schema ID and a truncated body: the same exception type as Confluent's own deserializer.
        var confluent = new AvroDeserializer<NotificationRequested>(NewClient(), AvroSerdes.DeserializerConfig());
        byte[][] bad = [[0, 0, 0, 0x7f, 0x7f, 1, 2, 3], bytes[..12], [1, 2, 3]];
        foreach (var b in bad)
        {
            var expected = await Record.ExceptionAsync(() => confluent.DeserializeAsync(b, false, context));
            var actual = await Record.ExceptionAsync(() => deserializer.DeserializeAsync(b, false, context));
            Assert.NotNull(expected);
            Assert.Equal(expected.GetType(), actual?.GetType());
            Assert.Equal(expected.Message, actual!.Message);
        }

        Assert.Equal(bad.Length, deserializer.Fallbacks);
    }

    [Fact(Timeout = TimeoutMs)]
    public async Task default_serializer_config_probes_associations_gets_404_and_falls_back_to_the_topic_subject()
    {
        var original = SampleRequests.New();
        var context = new SerializationContext(MessageComponentType.Value, Topics.Requested);

        var bytes = await new AvroSerializer<NotificationRequested>(Client, new AvroSerializerConfig()).SerializeAsync(original, context);
        var read = await new AvroDeserializer<NotificationRequested>(NewClient(), new AvroDeserializerConfig()).DeserializeAsync(bytes, false, context);

        SampleRequests.AssertSame(original, read);
        Assert.Equal([$"{Topics.Requested}-value"], await Client.GetAllSubjectsAsync());
        Assert.Contains(Logs.Lines, l => l.StartsWith($"GET /associations/resources/-/{Topics.Requested}", StringComparison.Ordinal) && l.EndsWith("-> 404", StringComparison.Ordinal));
    }
}
