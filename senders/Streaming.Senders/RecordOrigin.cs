using Confluent.Kafka;

namespace Streaming.Senders;

/// <summary>The delivery log's <c>details</c> of a row: where it was written from, for an operator reading the log of a fleet.</summary>
internal static class RecordOrigin
{
    /// <summary>This host and process, and the record the row was written for (topic, partition, offset).</summary>
    public static Dictionary<string, string> Of<TKey, TValue>(ConsumeResult<TKey, TValue> r) => new(StringComparer.Ordinal)
    {
        ["host"] = Environment.MachineName,
        ["pid"] = Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["topic"] = r.Topic,
        ["partition"] = r.Partition.Value.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["offset"] = r.Offset.Value.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
