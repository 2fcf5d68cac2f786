using System.Globalization;
using System.Text.Json;
using Confluent.Kafka;

namespace Streaming.Replay;

/// <summary>
/// CSV (RFC 4180 quoting): coordinates, timestamp and key, then the first selected record's top-level fields as
/// columns; nested values are written as JSON.
/// </summary>
internal sealed class CsvExporter(StreamWriter writer) : ReplayExporter(writer)
{
    private string[]? columns;

    public override async Task WriteAsync(ConsumeResult<byte[]?, byte[]?> r, object? value)
    {
        var fields = value as Dictionary<string, object?>;
        if (columns is null)
        {
            columns = ["topic", "partition", "offset", "timestamp", "key", .. fields?.Keys ?? Enumerable.Empty<string>()];
            await Writer.WriteLineAsync(string.Join(',', columns.Select(Cell)));
        }

        var key = KeyOf(r);
        var cells = columns.Select(c => c switch
        {
            "topic" => r.Topic,
            "partition" => r.Partition.Value.ToString(CultureInfo.InvariantCulture),
            "offset" => r.Offset.Value.ToString(CultureInfo.InvariantCulture),
            "timestamp" => r.Message.Timestamp.UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
            "key" => key,
            _ => fields is not null && fields.TryGetValue(c, out var v) ? v switch
            {
                null => "",
                string s => s,
                DateTimeOffset d => d.ToString("O", CultureInfo.InvariantCulture),
                IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
                _ => JsonSerializer.Serialize(v, Json),
            } : "",
        });
        await Writer.WriteLineAsync(string.Join(',', cells.Select(Cell)));
    }

    private static string Cell(string? cell)
        => cell is null ? "" : cell.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + cell.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : cell;
}
