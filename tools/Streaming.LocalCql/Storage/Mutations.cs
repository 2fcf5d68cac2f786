namespace Streaming.LocalCql.Storage;

/// <summary>A write of one regular cell: <see cref="Value"/> null deletes it.</summary>
internal sealed record CellWrite(int Slot, byte[]? Value);

/// <summary>
/// An upsert of one row. <see cref="SetMarker"/> is true for INSERT (the row exists even with no regular cells);
/// <see cref="Ttl"/> is in seconds, 0 for none; <see cref="Timestamp"/> is in microseconds.
/// </summary>
internal sealed record RowWrite(byte[][] PartitionKey, byte[][] Clustering, bool SetMarker, IReadOnlyList<CellWrite> Cells, long Timestamp, int Ttl);

/// <summary>
/// A DELETE: rows of one partition whose clustering matches <see cref="Matches"/> (all rows when null), or only the
/// cells in <see cref="Slots"/> when given.
/// </summary>
internal sealed record RowDeletion(byte[][] PartitionKey, Func<byte[][], bool>? Matches, IReadOnlyList<int>? Slots, long Timestamp);
