using Streaming.Cql.Protocol;

namespace Streaming.LocalCql.Execution;

/// <summary>
/// Rows results built from stored cells. Null cells and a missing paging state stay null: a null byte[] would otherwise
/// convert implicitly to an empty ReadOnlyMemory, which the protocol reads as an empty value, not as null.
/// </summary>
internal static class ResultRows
{
    public static RowsResult Of(IReadOnlyList<ColumnSpec> columns, IEnumerable<byte[]?[]> rows, byte[]? pagingState = null) =>
        new(new RowsMetadata(columns, pagingState is null ? null : pagingState), [.. rows.Select(Cells)]);

    private static ReadOnlyMemory<byte>?[] Cells(byte[]?[] row) => [.. row.Select(cell => cell is null ? (ReadOnlyMemory<byte>?)null : cell)];
}
