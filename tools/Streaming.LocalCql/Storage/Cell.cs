namespace Streaming.LocalCql.Storage;

/// <summary>
/// One stored cell: the bytes a client sent (null: a deletion, kept so an older write cannot resurrect it), the write
/// timestamp in microseconds, and the second at which a TTL makes it expire (null: never), as Cassandra keeps
/// localDeletionTime in whole seconds.
/// </summary>
internal sealed record Cell(byte[]? Value, long Timestamp, long? ExpiresAtSecond)
{
    public bool IsLive(long nowSecond) => Value is not null && (ExpiresAtSecond is null || ExpiresAtSecond > nowSecond);

    /// <summary>Seconds left before expiry, what <c>TTL(col)</c> returns; null without a TTL.</summary>
    public int? RemainingTtl(long nowSecond) => ExpiresAtSecond is { } expires ? (int)(expires - nowSecond) : null;

    /// <summary>Last write wins by timestamp; on a tie the later arrival wins.</summary>
    public bool Supersedes(Cell? existing) => existing is null || Timestamp >= existing.Timestamp;
}

/// <summary>
/// A row: its primary-key liveness (set by INSERT, like Cassandra's row marker, so a row of only key columns exists)
/// and its regular cells by slot. Mutated only under the owning <see cref="TableStore"/>'s lock.
/// </summary>
internal sealed class StoredRow(int slots)
{
    public Cell? Marker { get; set; }

    public Cell?[] Cells { get; } = new Cell?[slots];

    public bool IsLive(long nowSecond) => (Marker?.IsLive(nowSecond) ?? false) || Cells.Any(c => c?.IsLive(nowSecond) ?? false);

    /// <summary>An immutable copy holding only the cells alive at <paramref name="nowSecond"/>.</summary>
    public RowView Snapshot(byte[][] partitionKey, byte[][] clustering, long nowSecond) =>
        new(partitionKey, clustering, [.. Cells.Select(c => c is not null && c.IsLive(nowSecond) ? c : null)]);
}

/// <summary>A row as a read sees it: key components and the live cells by slot.</summary>
internal sealed record RowView(byte[][] PartitionKey, byte[][] Clustering, Cell?[] Cells)
{
    public RowPosition Position => new(PartitionKey, Clustering);
}

/// <summary>Where a row sits: its partition key and clustering components. Paging resumes strictly after one.</summary>
internal sealed record RowPosition(byte[][] PartitionKey, byte[][] Clustering);
