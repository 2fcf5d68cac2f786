using Streaming.Cql.Cluster;
using Streaming.Cql.Protocol;

namespace Streaming.Cql.Results;

/// <summary>
/// Builds a <see cref="RowSet"/> from a RESULT. Rows sent without metadata (No_metadata) take their columns from
/// the prepared statement's result metadata.
/// </summary>
internal static class RowSetFactory
{
    public static RowSet From(ResponseFrame answer, CqlHost host, RowsMetadata? preparedResultMetadata)
    {
        var coordinator = host.ToString();
        switch (answer.Message)
        {
            case RowsResult rows:
                var specs = rows.Metadata.Columns
                    ?? (preparedResultMetadata?.Columns is { } prepared && prepared.Count == rows.Metadata.ColumnCount ? prepared : null)
                    ?? throw new CqlProtocolException($"{coordinator} sent {rows.Metadata.ColumnCount} column(s) without metadata, and no prepared metadata describes them.");
                var columns = new ColumnDefinitions(specs);
                return new RowSet(columns, rows.Rows.Select(r => new Row(columns, r)).ToList(), rows.Metadata.PagingState?.ToArray(), coordinator, answer.Warnings, null);
            case SchemaChangeResult change:
                return new RowSet(ColumnDefinitions.Empty, [], null, coordinator, answer.Warnings, change.Change);
            case ResultResponse:
                return new RowSet(ColumnDefinitions.Empty, [], null, coordinator, answer.Warnings, null);
            default:
                throw new CqlProtocolException($"{coordinator} answered with {answer.Message.Opcode}, not a RESULT.");
        }
    }
}
