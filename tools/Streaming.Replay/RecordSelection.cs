using System.Text;
using Confluent.Kafka;
using Streaming.Contracts;

namespace Streaming.Replay;

/// <summary>Which records of the ranges a replay takes: inside the time window and matching every set field filter.</summary>
internal sealed class RecordSelection(ReplayOptions options)
{
    public bool Selects(ConsumeResult<byte[]?, byte[]?> r, object? value) => InTimeWindow(r) && Matches(r, value);

    /// <summary>The record's outcome field, else "dlq:{reason}" for a dead letter, else "tombstone" or "record".</summary>
    public static string OutcomeOf(ConsumeResult<byte[]?, byte[]?> r, object? value)
        => Field(value, "outcome")
           ?? (DeadLetterHeaders.Reason(r.Message.Headers) is { } reason ? "dlq:" + reason : null)
           ?? (value is null ? "tombstone" : "record");

    /// <summary>Explicit offsets of a partition take precedence over the instants: its records are not checked against them.</summary>
    private bool InTimeWindow(ConsumeResult<byte[]?, byte[]?> r)
    {
        var ts = r.Message.Timestamp.UtcDateTime;
        return (options.From is not { } from || options.FromOffsets.ContainsKey(r.Partition.Value) || ts >= from.UtcDateTime)
            && (options.To is not { } to || options.ToOffsets.ContainsKey(r.Partition.Value) || ts < to.UtcDateTime);
    }

    private bool Matches(ConsumeResult<byte[]?, byte[]?> r, object? value)
    {
        var f = options.Filter;
        if (f.IsEmpty)
        {
            return true;
        }

        static bool Ok(IReadOnlyList<string> allowed, string? actual) => allowed.Count == 0 || (actual is not null && allowed.Contains(actual, StringComparer.OrdinalIgnoreCase));
        var user = Field(value, "userId") ?? (r.Message.Key is { } k ? Encoding.UTF8.GetString(k) : null);
        return Ok(f.Outcomes, OutcomeOf(r, value)) && Ok(f.Channels, Field(value, "channel")) && Ok(f.Categories, Field(value, "category")) && Ok(f.Users, user);
    }

    private static string? Field(object? value, string name)
        => value is Dictionary<string, object?> d && d.TryGetValue(name, out var v) ? v?.ToString() : null;
}
