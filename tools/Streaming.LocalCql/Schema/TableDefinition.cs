using Streaming.Cql.Protocol;
using Streaming.LocalCql.Parsing;

namespace Streaming.LocalCql.Schema;

internal enum ColumnKind
{
    PartitionKey,
    Clustering,
    Regular,
}

/// <summary>
/// A column of a table. <see cref="Position"/> is its index within its kind: the partition key component, the clustering
/// component, or the slot of a regular column in a stored row.
/// </summary>
internal sealed record ColumnDefinition(string Name, TypeSpec DeclaredType, ColumnKind Kind, int Position, bool Descending)
{
    public CqlType Type => DeclaredType.Type;
}

/// <summary>
/// A table's schema. <see cref="Columns"/> is in the order <c>SELECT *</c> returns them, as Cassandra does: partition key,
/// clustering columns, then the regular columns by name.
/// </summary>
internal sealed class TableDefinition
{
    private readonly Dictionary<string, ColumnDefinition> byName;

    public TableDefinition(
        string keyspace, string name, Guid id, IReadOnlyList<ColumnDefinition> partitionKey, IReadOnlyList<ColumnDefinition> clustering,
        IReadOnlyList<ColumnDefinition> regular, int defaultTimeToLive, IReadOnlyDictionary<string, Term> options)
    {
        Keyspace = keyspace;
        Name = name;
        Id = id;
        PartitionKey = partitionKey;
        Clustering = clustering;
        Regular = regular;
        DefaultTimeToLive = defaultTimeToLive;
        Options = options;
        Columns = [.. partitionKey, .. clustering, .. regular];
        byName = Columns.ToDictionary(c => c.Name, StringComparer.Ordinal);
    }

    public string Keyspace { get; }

    public string Name { get; }

    public Guid Id { get; }

    public IReadOnlyList<ColumnDefinition> PartitionKey { get; }

    public IReadOnlyList<ColumnDefinition> Clustering { get; }

    public IReadOnlyList<ColumnDefinition> Regular { get; }

    public IReadOnlyList<ColumnDefinition> Columns { get; }

    /// <summary>Seconds; 0 means cells written without USING TTL never expire.</summary>
    public int DefaultTimeToLive { get; }

    /// <summary>The other table options as written (comment, compaction, ...): accepted and reported, not acted on.</summary>
    public IReadOnlyDictionary<string, Term> Options { get; }

    public ColumnDefinition? Find(string column) => byName.GetValueOrDefault(column);

    /// <summary>The column, or INVALID "Undefined column name x" as Cassandra words it.</summary>
    public ColumnDefinition Column(string column) =>
        Find(column) ?? throw CqlEngineException.Invalid($"Undefined column name {column} in table {Keyspace}.{Name}");

    public ColumnSpec Spec(ColumnDefinition column) => new(Keyspace, Name, column.Name, column.Type);

    public ColumnSpec Spec(string name, CqlType type) => new(Keyspace, Name, name, type);
}
