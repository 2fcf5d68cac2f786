using Streaming.Cql.Protocol;

namespace Streaming.LocalCql;

/// <summary>
/// What a statement produced, shaped like the RESULT message kinds of native protocol v4 (section 4.2.5):
/// <see cref="VoidResult"/>, <see cref="RowsResult"/>, <see cref="SetKeyspaceResult"/> and <see cref="SchemaChangeResult"/>.
/// </summary>
public abstract record EngineResult;

/// <summary>Kind 0x0001: the statement succeeded and has nothing to return.</summary>
public sealed record VoidResult : EngineResult
{
    /// <summary>The one instance.</summary>
    public static VoidResult Instance { get; } = new();

    private VoidResult()
    {
    }
}

/// <summary>
/// Kind 0x0002: result columns and rows. Each row has one cell per column, in column order: the stored bytes, or null.
/// <paramref name="PagingState"/> is non-null when more rows follow; send it back in <see cref="QueryOptions.PagingState"/>.
/// </summary>
public sealed record RowsResult(IReadOnlyList<ColumnSpec> Columns, IReadOnlyList<byte[]?[]> Rows, byte[]? PagingState) : EngineResult;

/// <summary>Kind 0x0003: the answer to <c>USE ks</c>.</summary>
public sealed record SetKeyspaceResult(string Keyspace) : EngineResult;

/// <summary>
/// Kind 0x0005 (and the body of a SCHEMA_CHANGE event): what DDL changed. <paramref name="Name"/> is the table name for
/// <see cref="SchemaChangeTarget.Table"/> and null for <see cref="SchemaChangeTarget.Keyspace"/>.
/// </summary>
public sealed record SchemaChangeResult(SchemaChangeType Change, SchemaChangeTarget Target, string Keyspace, string? Name) : EngineResult;

/// <summary>The [string] change_type of a schema change: CREATED, UPDATED or DROPPED.</summary>
public enum SchemaChangeType
{
    /// <summary>"CREATED".</summary>
    Created,

    /// <summary>"UPDATED".</summary>
    Updated,

    /// <summary>"DROPPED".</summary>
    Dropped,
}

/// <summary>The [string] target of a schema change: KEYSPACE or TABLE (the engine has no types, functions or aggregates).</summary>
public enum SchemaChangeTarget
{
    /// <summary>"KEYSPACE".</summary>
    Keyspace,

    /// <summary>"TABLE".</summary>
    Table,
}

/// <summary>A column of a result or a bind variable of a prepared statement: the [col_spec] of section 4.2.5.2.</summary>
/// <param name="Keyspace">The keyspace of the table the column belongs to.</param>
/// <param name="Table">The table name.</param>
/// <param name="Name">The column name as the client sees it: a column, an alias, or a marker name like <c>[limit]</c>.</param>
/// <param name="Type">The column type.</param>
public sealed record ColumnSpec(string Keyspace, string Table, string Name, CqlType Type);

/// <summary>
/// A prepared statement (the RESULT Prepared kind 0x0004 of section 4.2.5.4).
/// </summary>
/// <param name="Id">The statement id: MD5 of the session keyspace and query text, so every node derives the same id.</param>
/// <param name="Variables">The bind variables by position.</param>
/// <param name="PartitionKeyIndexes">
/// For each partition key column in order, the index of the variable that binds it; empty unless every partition key
/// column is bound by its own variable (what a driver needs for token-aware routing).
/// </param>
/// <param name="ResultColumns">The columns a SELECT returns; empty for other statements.</param>
public sealed record PreparedQuery(
    byte[] Id,
    IReadOnlyList<ColumnSpec> Variables,
    IReadOnlyList<int> PartitionKeyIndexes,
    IReadOnlyList<ColumnSpec> ResultColumns);
