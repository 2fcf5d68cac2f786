using Streaming.LocalCql.Schema;

namespace Streaming.LocalCql.Storage;

/// <summary>What a read wants: which partitions (null: all), where to resume, direction, a row filter and a row cap.</summary>
internal sealed record ReadRequest(IReadOnlyList<byte[][]>? Partitions, RowPosition? After, bool Reversed, Func<RowView, bool> Filter, int MaxRows);

/// <summary>
/// The rows of one table: partitions ordered by their key components, rows within a partition in clustering order.
/// One lock guards the table; reads copy what they return, so callers never see a row change under them.
/// </summary>
internal sealed class TableStore
{
    private readonly Lock gate = new();
    private readonly KeyComparer partitionOrder;
    private readonly KeyComparer clusteringOrder;
    private readonly SortedList<byte[][], SortedList<byte[][], StoredRow>> partitions;
    private readonly int slots;

    public TableStore(TableDefinition table)
    {
        partitionOrder = new KeyComparer([.. table.PartitionKey.Select(c => c.Type)], [.. table.PartitionKey.Select(_ => false)]);
        clusteringOrder = new KeyComparer([.. table.Clustering.Select(c => c.Type)], [.. table.Clustering.Select(c => c.Descending)]);
        partitions = new SortedList<byte[][], SortedList<byte[][], StoredRow>>(partitionOrder);
        slots = table.Regular.Count;
    }

    public KeyComparer PartitionOrder => partitionOrder;

    public KeyComparer ClusteringOrder => clusteringOrder;

    public void Apply(RowWrite write, long nowSecond)
    {
        lock (gate)
        {
            Write(write, nowSecond);
        }
    }

    /// <summary>INSERT ... IF NOT EXISTS: writes only when no live row has the key; otherwise returns the existing row.</summary>
    public RowView? ApplyIfAbsent(RowWrite write, long nowSecond)
    {
        lock (gate)
        {
            if (partitions.GetValueOrDefault(write.PartitionKey)?.GetValueOrDefault(write.Clustering) is { } row && row.IsLive(nowSecond))
            {
                return row.Snapshot(write.PartitionKey, write.Clustering, nowSecond);
            }

            Write(write, nowSecond);
            return null;
        }
    }

    public void Apply(RowDeletion deletion)
    {
        lock (gate)
        {
            if (!partitions.TryGetValue(deletion.PartitionKey, out var rows))
            {
                return;
            }

            foreach (var clustering in rows.Keys.Where(k => deletion.Matches?.Invoke(k) ?? true).ToList())
            {
                if (deletion.Slots is null)
                {
                    rows.Remove(clustering);
                    continue;
                }

                var row = rows[clustering];
                foreach (var slot in deletion.Slots)
                {
                    var tombstone = new Cell(null, deletion.Timestamp, null);
                    if (tombstone.Supersedes(row.Cells[slot]))
                    {
                        row.Cells[slot] = tombstone;
                    }
                }
            }

            if (rows.Count == 0)
            {
                partitions.Remove(deletion.PartitionKey);
            }
        }
    }

    public void Truncate()
    {
        lock (gate)
        {
            partitions.Clear();
        }
    }

    /// <summary>Up to <see cref="ReadRequest.MaxRows"/> live rows that pass the filter, strictly after the resume position.</summary>
    public List<RowView> Read(ReadRequest request, long nowSecond)
    {
        var result = new List<RowView>();
        lock (gate)
        {
            foreach (var (partitionKey, rows) in SelectedPartitions(request))
            {
                var after = request.After is { } position && partitionOrder.Compare(partitionKey, position.PartitionKey) == 0
                    ? position.Clustering
                    : null;
                foreach (var (clustering, row) in RowsOf(rows, after, request.Reversed))
                {
                    if (!row.IsLive(nowSecond))
                    {
                        continue;
                    }

                    var view = row.Snapshot(partitionKey, clustering, nowSecond);
                    if (request.Filter(view))
                    {
                        result.Add(view);
                        if (result.Count >= request.MaxRows)
                        {
                            return result;
                        }
                    }
                }
            }
        }

        return result;
    }

    private void Write(RowWrite write, long nowSecond)
    {
        if (!partitions.TryGetValue(write.PartitionKey, out var rows))
        {
            rows = new SortedList<byte[][], StoredRow>(clusteringOrder);
            partitions.Add(write.PartitionKey, rows);
        }

        if (!rows.TryGetValue(write.Clustering, out var row))
        {
            row = new StoredRow(slots);
            rows.Add(write.Clustering, row);
        }

        long? expires = write.Ttl > 0 ? nowSecond + write.Ttl : null;
        var marker = new Cell([], write.Timestamp, expires);
        if (write.SetMarker && marker.Supersedes(row.Marker))
        {
            row.Marker = marker;
        }

        foreach (var cellWrite in write.Cells)
        {
            var cell = new Cell(cellWrite.Value, write.Timestamp, cellWrite.Value is null ? null : expires);
            if (cell.Supersedes(row.Cells[cellWrite.Slot]))
            {
                row.Cells[cellWrite.Slot] = cell;
            }
        }
    }

    /// <summary>The partitions to read in key order, starting at the resume position's partition.</summary>
    private IEnumerable<KeyValuePair<byte[][], SortedList<byte[][], StoredRow>>> SelectedPartitions(ReadRequest request)
    {
        var start = request.After?.PartitionKey;
        if (request.Partitions is { } keys)
        {
            return keys.Where(k => start is null || partitionOrder.Compare(k, start) >= 0)
                .Where(partitions.ContainsKey)
                .Select(k => new KeyValuePair<byte[][], SortedList<byte[][], StoredRow>>(k, partitions[k]));
        }

        var first = start is null ? 0 : LowerBound(partitions.Keys, start, partitionOrder);
        return Enumerable.Range(first, partitions.Count - first)
            .Select(i => new KeyValuePair<byte[][], SortedList<byte[][], StoredRow>>(partitions.Keys[i], partitions.Values[i]));
    }

    /// <summary>A partition's rows in clustering order (or reversed), strictly after <paramref name="after"/> when given.</summary>
    private IEnumerable<KeyValuePair<byte[][], StoredRow>> RowsOf(SortedList<byte[][], StoredRow> rows, byte[][]? after, bool reversed)
    {
        if (!reversed)
        {
            var first = after is null ? 0 : UpperBound(rows.Keys, after, clusteringOrder);
            for (var i = first; i < rows.Count; i++)
            {
                yield return new(rows.Keys[i], rows.Values[i]);
            }

            yield break;
        }

        var last = after is null ? rows.Count - 1 : LowerBound(rows.Keys, after, clusteringOrder) - 1;
        for (var i = last; i >= 0; i--)
        {
            yield return new(rows.Keys[i], rows.Values[i]);
        }
    }

    /// <summary>The first index whose key is not less than <paramref name="key"/>.</summary>
    private static int LowerBound(IList<byte[][]> keys, byte[][] key, KeyComparer order) => Bound(keys, key, order, strict: false);

    /// <summary>The first index whose key is greater than <paramref name="key"/>.</summary>
    private static int UpperBound(IList<byte[][]> keys, byte[][] key, KeyComparer order) => Bound(keys, key, order, strict: true);

    private static int Bound(IList<byte[][]> keys, byte[][] key, KeyComparer order, bool strict)
    {
        var (low, high) = (0, keys.Count);
        while (low < high)
        {
            var middle = (low + high) / 2;
            var c = order.Compare(keys[middle], key);
            if (c < 0 || (strict && c == 0))
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        return low;
    }
}
