using Streaming.Cql.Protocol;
using Streaming.Cql;

namespace Streaming.LocalCql.Parsing;

/// <summary>A parsed statement and its bind markers in order of appearance.</summary>
internal sealed record ParsedQuery(CqlStatement Statement, IReadOnlyList<BindMarkerTerm> Markers);

/// <summary>One CQL statement of the supported subset.</summary>
internal abstract record CqlStatement;

/// <summary><c>ks.name</c> or <c>name</c> (resolved in the session keyspace).</summary>
internal sealed record QualifiedName(string? Keyspace, string Name)
{
    public override string ToString() => Keyspace is null ? Name : Keyspace + "." + Name;
}

/// <summary>A declared column type; <see cref="Frozen"/> only changes how system_schema spells it.</summary>
internal sealed record TypeSpec(CqlType Type, bool Frozen)
{
    public override string ToString() => Frozen ? $"frozen<{Type}>" : Type.ToString();
}

internal sealed record CreateKeyspaceStatement(
    string Name, bool IfNotExists, IReadOnlyDictionary<string, string> Replication, bool DurableWrites) : CqlStatement;

internal sealed record DropKeyspaceStatement(string Name, bool IfExists) : CqlStatement;

internal sealed record UseStatement(string Keyspace) : CqlStatement;

internal sealed record ColumnDeclaration(string Name, TypeSpec Type);

internal sealed record ClusteringOrder(string Column, bool Descending);

internal sealed record CreateTableStatement(
    QualifiedName Table,
    bool IfNotExists,
    IReadOnlyList<ColumnDeclaration> Columns,
    IReadOnlyList<string> PartitionKey,
    IReadOnlyList<string> Clustering,
    IReadOnlyList<ClusteringOrder> Order,
    IReadOnlyDictionary<string, Term> Options) : CqlStatement;

internal sealed record DropTableStatement(QualifiedName Table, bool IfExists) : CqlStatement;

internal sealed record TruncateStatement(QualifiedName Table) : CqlStatement;

/// <summary><c>USING TTL x AND TIMESTAMP y</c>; either part may be absent.</summary>
internal sealed record UsingClause(Term? Ttl, Term? Timestamp)
{
    public static UsingClause None { get; } = new(null, null);
}

/// <summary>A statement that writes rows: INSERT, UPDATE or DELETE.</summary>
internal abstract record ModificationStatement(QualifiedName Table, UsingClause Using) : CqlStatement;

internal sealed record InsertStatement(
    QualifiedName Table, IReadOnlyList<string> Columns, IReadOnlyList<Term> Values, bool IfNotExists, UsingClause Using)
    : ModificationStatement(Table, Using);

internal sealed record Assignment(string Column, Term Value);

internal sealed record UpdateStatement(
    QualifiedName Table, UsingClause Using, IReadOnlyList<Assignment> Assignments, IReadOnlyList<Relation> Where)
    : ModificationStatement(Table, Using);

internal sealed record DeleteStatement(
    IReadOnlyList<string> Columns, QualifiedName Table, UsingClause Using, IReadOnlyList<Relation> Where)
    : ModificationStatement(Table, Using);

internal enum RelationOperator
{
    Equal,
    Less,
    LessOrEqual,
    Greater,
    GreaterOrEqual,
    In,
}

/// <summary>
/// <c>column op value</c> in a WHERE clause. For IN, <see cref="Values"/> holds the listed terms, or one bind marker
/// for <c>IN ?</c> (bound to a list).
/// </summary>
internal sealed record Relation(string Column, RelationOperator Operator, IReadOnlyList<Term> Values, bool InMarker = false)
{
    public Term Value => Values[0];
}

/// <summary>A selected expression; <see cref="Alias"/> renames it in the result.</summary>
internal abstract record Selector(string? Alias);

internal sealed record ColumnSelector(string Column, string? Alias) : Selector(Alias);

internal sealed record CountSelector(string? Alias) : Selector(Alias);

/// <summary><c>TTL(col)</c> or <c>WRITETIME(col)</c>.</summary>
internal sealed record CellMetadataSelector(string Function, string Column, string? Alias) : Selector(Alias);

internal sealed record SelectStatement(
    QualifiedName Table,
    IReadOnlyList<Selector>? Selectors,
    IReadOnlyList<Relation> Where,
    IReadOnlyList<ClusteringOrder> OrderBy,
    Term? Limit,
    bool AllowFiltering) : CqlStatement
{
    public bool SelectsAll => Selectors is null;
}

internal sealed record BatchStatement(BatchType Kind, UsingClause Using, IReadOnlyList<ModificationStatement> Statements) : CqlStatement;
