using Confluent.Kafka;

namespace Streaming.Senders;

/// <summary>The delivery log's <c>details</c> of a row: where it was written from, for an operator reading the log of a fleet.</summary>
internal static class RecordOrigin
{
    // Read once: Environment.MachineName asks the OS on every call, and every log row carries both.
    private static readonly string Host = Environment.MachineName;
    private static readonly string ProcessId = Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>This host and process, and the record the row was written for (topic, partition, offset).</summary>
    public static Dictionary<string, string> Of<TKey, TValue>(ConsumeResult<TKey, TValue> r) => new(StringComparer.Ordinal)
    {
        ["host"] = Host,
        ["pid"] = ProcessId,
        ["topic"] = r.Topic,
        ["partition"] = r.Partition.Value.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["offset"] = r.Offset.Value.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
