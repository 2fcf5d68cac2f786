using System.Globalization;
using Streaming.Cql.Protocol;
using Streaming.LocalCql.Parsing;

namespace Streaming.LocalCql.Schema;

/// <summary>Turns a CREATE TABLE statement into a <see cref="TableDefinition"/>, with Cassandra's validation messages.</summary>
internal static class TableDefinitionBuilder
{
    /// <summary>Cassandra's maximum TTL: 20 years in seconds.</summary>
    public const int MaxTimeToLive = 630_720_000;

    /// <summary>The table options Cassandra 4 knows; any other name is a syntax error there too.</summary>
    private static readonly HashSet<string> KnownOptions =
    [
        "additional_write_policy", "bloom_filter_fp_chance", "caching", "cdc", "comment", "compaction", "compression",
        "crc_check_chance", "dclocal_read_repair_chance", "default_time_to_live", "extensions", "gc_grace_seconds", "id",
        "max_index_interval", "memtable", "memtable_flush_period_in_ms", "min_index_interval", "read_repair",
        "read_repair_chance", "speculative_retry",
    ];

    public static TableDefinition Build(string keyspace, CreateTableStatement statement, Guid id)
    {
        var table = statement.Table.Name;
        var declared = new Dictionary<string, ColumnDeclaration>(StringComparer.Ordinal);
        foreach (var column in statement.Columns)
        {
            if (!declared.TryAdd(column.Name, column))
            {
                throw CqlEngineException.Invalid($"Duplicate column '{column.Name}' declaration for table '{keyspace}.{table}'");
            }
        }

        if (statement.PartitionKey.Count == 0)
        {
            throw CqlEngineException.Invalid($"No PRIMARY KEY specifed for table '{keyspace}.{table}' (exactly one required)");
        }

        var keyNames = statement.PartitionKey.Concat(statement.Clustering).ToList();
        foreach (var name in keyNames)
        {
            var column = declared.GetValueOrDefault(name)
                ?? throw CqlEngineException.Invalid($"Unknown column '{name}' referenced in PRIMARY KEY for table '{keyspace}.{table}'");
            if (keyNames.Count(n => n == name) > 1)
            {
                throw CqlEngineException.Invalid($"Duplicate column '{name}' in PRIMARY KEY clause for table '{keyspace}.{table}'");
            }

            if (IsCollection(column.Type.Type) && !column.Type.Frozen)
            {
                throw CqlEngineException.Invalid($"Invalid non-frozen collection type {column.Type} for PRIMARY KEY column '{name}'");
            }
        }

        var descending = ClusteringOrder(statement, keyspace);
        var partitionKey = statement.PartitionKey
            .Select((name, i) => new ColumnDefinition(name, declared[name].Type, ColumnKind.PartitionKey, i, false)).ToList();
        var clustering = statement.Clustering
            .Select((name, i) => new ColumnDefinition(name, declared[name].Type, ColumnKind.Clustering, i, descending.Contains(name))).ToList();
        var regular = statement.Columns.Where(c => !keyNames.Contains(c.Name)).OrderBy(c => c.Name, StringComparer.Ordinal)
            .Select((c, i) => new ColumnDefinition(c.Name, c.Type, ColumnKind.Regular, i, false)).ToList();

        foreach (var option in statement.Options.Keys.Where(o => !KnownOptions.Contains(o)))
        {
            throw CqlEngineException.Syntax($"Unknown property '{option}'");
        }

        return new TableDefinition(keyspace, table, id, partitionKey, clustering, regular, DefaultTimeToLive(statement), statement.Options);
    }

    /// <summary>The clustering columns declared DESC; the directive must list the clustering columns in order.</summary>
    private static HashSet<string> ClusteringOrder(CreateTableStatement statement, string keyspace)
    {
        if (statement.Order.Count == 0)
        {
            return [];
        }

        foreach (var order in statement.Order.Where(o => !statement.Clustering.Contains(o.Column)))
        {
            throw CqlEngineException.Invalid($"Only clustering key columns can be defined in CLUSTERING ORDER directive: {order.Column} in {keyspace}.{statement.Table.Name}");
        }

        if (!statement.Order.Select(o => o.Column).SequenceEqual(statement.Clustering.Take(statement.Order.Count)))
        {
            throw CqlEngineException.Invalid("The order of columns in the CLUSTERING ORDER directive must match that of the clustering columns");
        }

        return [.. statement.Order.Where(o => o.Descending).Select(o => o.Column)];
    }

    private static int DefaultTimeToLive(CreateTableStatement statement)
    {
        if (!statement.Options.TryGetValue("default_time_to_live", out var term))
        {
            return 0;
        }

        if (term is not LiteralTerm { Kind: LiteralKind.Integer } literal
            || !int.TryParse(literal.Text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var ttl))
        {
            throw CqlEngineException.Syntax("Invalid value for default_time_to_live: an integer number of seconds is expected");
        }

        if (ttl is < 0 or > MaxTimeToLive)
        {
            throw CqlEngineException.Invalid($"default_time_to_live must be between 0 and {MaxTimeToLive}, but was {ttl}");
        }

        return ttl;
    }

    private static bool IsCollection(CqlType type) => type.Code is CqlTypeCode.List or CqlTypeCode.Set or CqlTypeCode.Map;
}
