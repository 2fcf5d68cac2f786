using Streaming.Cql.Protocol;

namespace Streaming.Cql.Results;

/// <summary>
/// One page of a result. <see cref="PagingState"/> is set when more pages follow (Has_more_pages, section 8); pass it
/// back with the same statement, or let <see cref="CqlSession.QueryAsync(Statements.Statement, int?, CancellationToken)"/>
/// follow the pages. Results without rows (writes, DDL, USE) are empty.
/// </summary>
public sealed class RowSet : IReadOnlyList<Row>
{
    private readonly IReadOnlyList<Row> _rows;

    internal RowSet(ColumnDefinitions columns, IReadOnlyList<Row> rows, byte[]? pagingState, string coordinator, IReadOnlyList<string> warnings, SchemaChange? schemaChange)
    {
        Columns = columns;
        _rows = rows;
        PagingState = pagingState;
        Coordinator = coordinator;
        Warnings = warnings;
        SchemaChange = schemaChange;
    }

    public ColumnDefinitions Columns { get; }

    /// <summary>Where the next page starts, or null on the last page.</summary>
    public byte[]? PagingState { get; }

    public bool HasMorePages => PagingState is not null;

    /// <summary>The host (host:port) that coordinated the request.</summary>
    public string Coordinator { get; }

    /// <summary>Warnings the server attached to the answer (e.g. a batch too large).</summary>
    public IReadOnlyList<string> Warnings { get; }

    /// <summary>What a DDL statement changed, else null.</summary>
    public SchemaChange? SchemaChange { get; }

    public int Count => _rows.Count;

    public Row this[int index] => _rows[index];

    public IEnumerator<Row> GetEnumerator() => _rows.GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}
