using Streaming.LocalCql.Schema;
using Streaming.LocalCql.Storage;

namespace Streaming.LocalCql.SystemTables;

/// <summary>Fills a fresh store for a system table from rows given as column name → value.</summary>
internal sealed class SystemRowWriter(TableDefinition table)
{
    public TableStore Store { get; } = new(table);

    public void Add(IReadOnlyDictionary<string, byte[]?> values)
    {
        byte[] Key(ColumnDefinition column) =>
            values.GetValueOrDefault(column.Name) ?? throw new InvalidOperationException($"System row of {table.Name} lacks key {column.Name}");

        var write = new RowWrite(
            [.. table.PartitionKey.Select(Key)],
            [.. table.Clustering.Select(Key)],
            SetMarker: true,
            [.. table.Regular.Where(c => values.ContainsKey(c.Name)).Select(c => new CellWrite(c.Position, values[c.Name]))],
            Timestamp: 0,
            Ttl: 0);
        Store.Apply(write, nowSecond: 0);
    }
}
