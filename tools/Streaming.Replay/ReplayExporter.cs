using System.Text;
using System.Text.Json;
using Confluent.Kafka;
using Streaming.Contracts;

namespace Streaming.Replay;

/// <summary>Writes selected records to the replay's output file (or standard output for "-") in one format.</summary>
internal abstract class ReplayExporter(StreamWriter writer) : IAsyncDisposable
{
    protected static readonly JsonSerializerOptions Json = new() { WriteIndented = false };

    protected StreamWriter Writer => writer;

    /// <summary>The exporter of <paramref name="options"/>, or null when nothing is written (a dry run or no output).</summary>
    public static ReplayExporter? Open(ReplayOptions options)
    {
        if (options.DryRun || options.Output is null)
        {
            return null;
        }

        var writer = options.Output == "-"
            ? new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(false)) { AutoFlush = false }
            : new StreamWriter(options.Output, append: false, new UTF8Encoding(false));
        return options.Format == ReplayFormat.Csv ? new CsvExporter(writer) : new JsonLinesExporter(writer);
    }

    /// <summary>Writes one record; <paramref name="value"/> is its decoded value, or raw bytes, or null for a tombstone.</summary>
    public abstract Task WriteAsync(ConsumeResult<byte[]?, byte[]?> r, object? value);

    public ValueTask DisposeAsync() => writer.DisposeAsync();

    protected static string? KeyOf(ConsumeResult<byte[]?, byte[]?> r) => r.Message.Key is { } k ? Encoding.UTF8.GetString(k) : null;

    /// <summary>Each header once, with its last value (as every stage reads them).</summary>
    protected static Dictionary<string, string> HeadersOf(ConsumeResult<byte[]?, byte[]?> r)
    {
        var headers = r.Message.Headers;
        return (headers ?? []).Select(h => h.Key).Distinct().ToDictionary(k => k, k => KafkaHeaders.Utf8(headers, k)!);
    }
}
