using Streaming.Cql.Protocol;
using Streaming.LocalCql.Parsing;
using Streaming.LocalCql.Schema;
using Streaming.LocalCql.Storage;
using Streaming.LocalCql.Types;

namespace Streaming.LocalCql.Execution;

/// <summary>
/// The result columns of a SELECT and how each row's cells are taken: stored bytes for columns, remaining seconds for
/// <c>ttl(col)</c> (int), the write timestamp in microseconds for <c>writetime(col)</c> (bigint); or a row count.
/// </summary>
internal sealed class Projection
{
    private readonly IReadOnlyList<Func<RowView, long, byte[]?>> cells;

    private Projection(IReadOnlyList<ColumnSpec> columns, IReadOnlyList<Func<RowView, long, byte[]?>> cells, bool isCount)
    {
        Columns = columns;
        this.cells = cells;
        IsCount = isCount;
    }

    public IReadOnlyList<ColumnSpec> Columns { get; }

    /// <summary>True for <c>SELECT COUNT(*)</c>: one row holding the number of matching rows.</summary>
    public bool IsCount { get; }

    public static Projection For(SelectStatement statement, TableDefinition table)
    {
        if (statement.Selectors is null)
        {
            return new Projection(
                [.. table.Columns.Select(table.Spec)],
                [.. table.Columns.Select(c => (Func<RowView, long, byte[]?>)((row, _) => BoundRelation.ValueOf(row, c)))],
                isCount: false);
        }

        if (statement.Selectors is [CountSelector count])
        {
            return new Projection([table.Spec(count.Alias ?? "count", CqlType.Bigint)], [], isCount: true);
        }

        var columns = new List<ColumnSpec>();
        var cells = new List<Func<RowView, long, byte[]?>>();
        foreach (var selector in statement.Selectors)
        {
            var (spec, cell) = Select(selector, table);
            columns.Add(spec);
            cells.Add(cell);
        }

        return new Projection(columns, cells, isCount: false);
    }

    public byte[]?[] Row(RowView row, long nowSecond) => [.. cells.Select(cell => cell(row, nowSecond))];

    public static byte[] Count(long count) => LiteralEncoder.Long(count);

    private static (ColumnSpec Spec, Func<RowView, long, byte[]?> Cell) Select(Selector selector, TableDefinition table)
    {
        switch (selector)
        {
            case ColumnSelector { Column: var name, Alias: var alias }:
                var column = table.Column(name);
                return (table.Spec(alias ?? column.Name, column.Type), (row, _) => BoundRelation.ValueOf(row, column));
            case CellMetadataSelector { Function: "ttl" } ttl:
                var ttlColumn = RegularColumn(table, ttl);
                return (table.Spec(ttl.Alias ?? $"ttl({ttlColumn.Name})", CqlType.Int),
                    (row, now) => row.Cells[ttlColumn.Position]?.RemainingTtl(now) is { } left ? LiteralEncoder.Int(left) : null);
            case CellMetadataSelector writeTime:
                var written = RegularColumn(table, writeTime);
                return (table.Spec(writeTime.Alias ?? $"writetime({written.Name})", CqlType.Bigint),
                    (row, _) => row.Cells[written.Position] is { } cell ? LiteralEncoder.Long(cell.Timestamp) : null);
            default:
                throw CqlEngineException.Unsupported("Selecting COUNT(*) together with other selectors");
        }
    }

    private static ColumnDefinition RegularColumn(TableDefinition table, CellMetadataSelector selector)
    {
        var column = table.Column(selector.Column);
        return column.Kind == ColumnKind.Regular
            ? column
            : throw CqlEngineException.Invalid($"Cannot use selection function {selector.Function} on PRIMARY KEY part {column.Name}");
    }
}
