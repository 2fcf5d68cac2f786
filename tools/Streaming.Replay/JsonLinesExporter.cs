using System.Text.Json;
using Confluent.Kafka;

namespace Streaming.Replay;

/// <summary>One JSON object a line: coordinates, timestamp, key, headers and the decoded value (value_base64 when it could not be decoded).</summary>
internal sealed class JsonLinesExporter(StreamWriter writer) : ReplayExporter(writer)
{
    public override async Task WriteAsync(ConsumeResult<byte[]?, byte[]?> r, object? value)
    {
        var line = new Dictionary<string, object?>
        {
            ["topic"] = r.Topic,
            ["partition"] = r.Partition.Value,
            ["offset"] = r.Offset.Value,
            ["timestamp"] = r.Message.Timestamp.UtcDateTime,
            ["key"] = KeyOf(r),
            ["headers"] = HeadersOf(r),
            [value is byte[] ? "value_base64" : "value"] = value is byte[] raw ? Convert.ToBase64String(raw) : value,
        };
        await Writer.WriteLineAsync(JsonSerializer.Serialize(line, Json));
    }
}
