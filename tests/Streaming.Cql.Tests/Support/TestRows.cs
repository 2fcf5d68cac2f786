using System.Text;
using Streaming.Cql.Protocol;

namespace Streaming.Cql.Tests.Support;

/// <summary>Rows results of text columns for scripted answers.</summary>
internal static class TestRows
{
    public static RowsResult Text(string[] columns, string?[][] rows, byte[]? pagingState = null)
    {
        var specs = columns.Select(c => new ColumnSpec("ks", "t", c, CqlType.Text)).ToList();
        var cells = rows.Select(r => r.Select(v => v is null ? (ReadOnlyMemory<byte>?)null : Encoding.UTF8.GetBytes(v)).ToArray()).ToList();
        return new RowsResult(new RowsMetadata(specs) { PagingState = pagingState }, cells);
    }

    public static string TextOf(CqlValue value) => Encoding.UTF8.GetString(value.Bytes.Span);
}
