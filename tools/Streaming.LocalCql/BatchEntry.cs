namespace Streaming.LocalCql;

/// <summary>The [byte] type of a BATCH frame (native protocol v4, section 4.1.7).</summary>
public enum BatchKind : byte
{
    /// <summary>Type 0: applied atomically through the batch log.</summary>
    Logged = 0,

    /// <summary>Type 1: no batch log.</summary>
    Unlogged = 1,

    /// <summary>Type 2: counter updates only.</summary>
    Counter = 2,
}

/// <summary>One statement of a BATCH frame: query text (kind 0) or a prepared id (kind 1), with its positional values.</summary>
public sealed record BatchEntry
{
    private BatchEntry(string? query, byte[]? preparedId, IReadOnlyList<CqlValue> values)
    {
        Query = query;
        PreparedId = preparedId;
        Values = values;
    }

    /// <summary>The query text, or null when the entry names a prepared statement.</summary>
    public string? Query { get; }

    /// <summary>The prepared statement id, or null when the entry carries query text.</summary>
    public byte[]? PreparedId { get; }

    /// <summary>The bound values, by bind marker position.</summary>
    public IReadOnlyList<CqlValue> Values { get; }

    /// <summary>An entry with query text.</summary>
    public static BatchEntry OfQuery(string query, IReadOnlyList<CqlValue>? values = null) =>
        new(query ?? throw new ArgumentNullException(nameof(query)), null, values ?? []);

    /// <summary>An entry naming a prepared statement.</summary>
    public static BatchEntry OfPrepared(byte[] id, IReadOnlyList<CqlValue>? values = null) =>
        new(null, id ?? throw new ArgumentNullException(nameof(id)), values ?? []);
}
