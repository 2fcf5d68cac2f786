namespace Streaming.Replay;

/// <summary>What to replay and where to.</summary>
public sealed record ReplayOptions
{
    public required string BootstrapServers { get; init; }

    /// <summary>Registry for decoding Avro values (filters and exports need it; a raw re-publish does not).</summary>
    public string? RegistryUrl { get; init; }

    public required string Topic { get; init; }

    /// <summary>Start: records at or after this instant (inclusive). Null = from the beginning.</summary>
    public DateTimeOffset? From { get; init; }

    /// <summary>End: records before this instant (exclusive). Null = up to the high watermark when the replay starts.</summary>
    public DateTimeOffset? To { get; init; }

    /// <summary>Explicit start offsets per partition (override <see cref="From"/> for those partitions).</summary>
    public IReadOnlyDictionary<int, long> FromOffsets { get; init; } = new Dictionary<int, long>();

    /// <summary>Explicit end offsets per partition, exclusive (override <see cref="To"/>).</summary>
    public IReadOnlyDictionary<int, long> ToOffsets { get; init; } = new Dictionary<int, long>();

    /// <summary>Only these partitions; empty = all.</summary>
    public IReadOnlyList<int> Partitions { get; init; } = [];

    public ReplayFilter Filter { get; init; } = new();

    /// <summary>Export format when writing to <see cref="Output"/>.</summary>
    public ReplayFormat Format { get; init; } = ReplayFormat.JsonLines;

    /// <summary>File to write, "-" for standard output; null when re-publishing or with <see cref="DryRun"/>.</summary>
    public string? Output { get; init; }

    /// <summary>
    /// Re-publish matching records. Channel-topic records go back to their topic; DLQ entries go back to
    /// their x-original-topic; any other topic needs <see cref="RepublishTopic"/>. The senders' delivery-log
    /// check still prevents a second delivery of anything already delivered, unless <see cref="Force"/>.
    /// </summary>
    public bool Republish { get; init; }

    /// <summary>Destination override for <see cref="Republish"/>.</summary>
    public string? RepublishTopic { get; init; }

    /// <summary>Mark re-published records so senders deliver them even if the log says delivered.</summary>
    public bool Force { get; init; }

    /// <summary>Only count matching records per outcome; write and publish nothing.</summary>
    public bool DryRun { get; init; }
}

/// <summary>Field filters; a record matches when every set filter matches (null = any).</summary>
public sealed record ReplayFilter
{
    public IReadOnlyList<string> Outcomes { get; init; } = [];

    public IReadOnlyList<string> Channels { get; init; } = [];

    public IReadOnlyList<string> Categories { get; init; } = [];

    public IReadOnlyList<string> Users { get; init; } = [];

    public bool IsEmpty => Outcomes.Count == 0 && Channels.Count == 0 && Categories.Count == 0 && Users.Count == 0;
}

public enum ReplayFormat
{
    JsonLines,
    Csv,
}

/// <summary>What a replay did.</summary>
public sealed record ReplayResult(long Read, long Matched, long Written, long Republished, IReadOnlyDictionary<string, long> ByOutcome, long Undecodable);

/// <summary>Progress of a running replay.</summary>
public sealed record ReplayProgress(long Read, long Total);
