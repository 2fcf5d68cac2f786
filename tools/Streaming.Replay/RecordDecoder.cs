using System.Collections;
using Avro.Generic;
using Confluent.Kafka;
using Confluent.Kafka.SyncOverAsync;
using Confluent.SchemaRegistry;
using Confluent.SchemaRegistry.Serdes;

namespace Streaming.Replay;

/// <summary>
/// Decodes record values written in the Confluent Avro wire format into dictionaries, lists and primitives (for
/// filters and exports). Values it cannot decode stay raw bytes and are counted; without a registry none are decoded.
/// </summary>
internal sealed class RecordDecoder(ISchemaRegistryClient? registry, string topic)
{
    private readonly IDeserializer<GenericRecord>? decoder = registry is null ? null : new AvroDeserializer<GenericRecord>(registry).AsSyncOverAsync();
    private readonly SerializationContext context = new(MessageComponentType.Value, topic);

    /// <summary>Values left as raw bytes so far.</summary>
    public long Undecodable { get; private set; }

    /// <summary>The plain value; null for a tombstone, the raw bytes when it cannot be decoded.</summary>
    public object? Decode(byte[]? bytes)
    {
        if (bytes is null)
        {
            return null; // tombstone
        }

        // Magic byte 0 and a 4-byte schema ID come first in Confluent's wire format.
        if (decoder is null || bytes.Length < 5 || bytes[0] != 0)
        {
            Undecodable++;
            return bytes;
        }

        try
        {
            return ToPlain(decoder.Deserialize(bytes, false, context));
        }
        catch (Exception ex) when (ex is Avro.AvroException or SchemaRegistryException or InvalidDataException or AggregateException or IndexOutOfRangeException)
        {
            Undecodable++;
            return bytes;
        }
    }

    /// <summary>GenericRecord → dictionaries, lists and primitives, for filtering and JSON.</summary>
    private static object? ToPlain(object? value) => value switch
    {
        null => null,
        GenericRecord r => r.Schema.Fields.ToDictionary(f => f.Name, f => ToPlain(r.GetValue(f.Pos)), StringComparer.Ordinal),
        GenericEnum e => e.Value,
        GenericFixed f => Convert.ToBase64String(f.Value),
        byte[] b => Convert.ToBase64String(b),
        DateTime d => new DateTimeOffset(DateTime.SpecifyKind(d, DateTimeKind.Utc)),
        string s => s,
        IDictionary map => map.Keys.Cast<object>().ToDictionary(k => k.ToString()!, k => ToPlain(map[k]), StringComparer.Ordinal),
        IEnumerable list => list.Cast<object?>().Select(ToPlain).ToList(),
        _ => value,
    };
}
