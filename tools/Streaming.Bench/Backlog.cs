using Avro.Specific;
using Confluent.Kafka;
using Confluent.SchemaRegistry;
using Streaming.Contracts;
using Streaming.LocalStack;

namespace Streaming.Bench;

/// <summary>Pre-loads a topic with Avro records before a stage starts, so the stage measures draining it and nothing else.</summary>
internal static class Backlog
{
    public static async Task WriteAsync<T>(string bootstrapServers, string registryUrl, string topic, int count, Func<int, (string Key, T Value)> record, CancellationToken ct)
        where T : class, ISpecificRecord, new()
    {
        using var registryClient = new CachedSchemaRegistryClient(new SchemaRegistryConfig { Url = registryUrl });
        var serializer = AvroSerdes.Serializer<T>(registryClient);
        var context = new SerializationContext(MessageComponentType.Value, topic);
        var config = LocalProfile.Producer(bootstrapServers);
        config.EnableIdempotence = true; // a retried batch must not put a record in twice: the stages check counts exactly
        config.Acks = Acks.All;
        using var producer = new ProducerBuilder<string, byte[]>(config).Build();
        for (var i = 0; i < count; i++)
        {
            var (key, value) = record(i);
            producer.Produce(topic, new Message<string, byte[]> { Key = key, Value = await serializer.SerializeAsync(value, context) });
        }

        producer.Flush(ct);
    }
}
