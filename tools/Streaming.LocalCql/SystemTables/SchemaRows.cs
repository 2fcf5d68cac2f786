using System.Globalization;
using Streaming.LocalCql.Parsing;
using Streaming.LocalCql.Schema;
using static Streaming.LocalCql.SystemTables.SystemValues;

namespace Streaming.LocalCql.SystemTables;

/// <summary>
/// The rows of system_schema.keyspaces/tables/columns (and of system_virtual_schema's three tables for virtual
/// keyspaces), computed from the catalog with the values Cassandra 4.0 reports. Options the engine does not act on
/// (caching, compaction, ...) carry Cassandra's defaults unless the CREATE TABLE gave them.
/// </summary>
internal static class SchemaRows
{
    private static readonly Dictionary<string, string> Strategies = new(StringComparer.Ordinal)
    {
        ["SimpleStrategy"] = "org.apache.cassandra.locator.SimpleStrategy",
        ["NetworkTopologyStrategy"] = "org.apache.cassandra.locator.NetworkTopologyStrategy",
        ["LocalStrategy"] = "org.apache.cassandra.locator.LocalStrategy",
    };

    /// <summary>The replication map with the strategy class fully qualified, as system_schema.keyspaces shows it.</summary>
    public static Dictionary<string, string> Replication(IReadOnlyDictionary<string, string> replication) =>
        replication.ToDictionary(e => e.Key, e => e.Key == "class" ? Strategies.GetValueOrDefault(e.Value, e.Value) : e.Value, StringComparer.Ordinal);

    public static IEnumerable<Dictionary<string, byte[]?>> Keyspaces(IEnumerable<KeyspaceDefinition> keyspaces, bool isVirtual) =>
        keyspaces.Select(k => isVirtual
            ? new Dictionary<string, byte[]?> { ["keyspace_name"] = Text(k.Name) }
            : new Dictionary<string, byte[]?>
            {
                ["keyspace_name"] = Text(k.Name),
                ["durable_writes"] = Boolean(k.DurableWrites),
                ["replication"] = TextMap(Replication(k.Replication)),
            });

    public static IEnumerable<Dictionary<string, byte[]?>> Tables(IEnumerable<KeyspaceDefinition> keyspaces, bool isVirtual) =>
        keyspaces.SelectMany(k => k.Tables.Values).Select(t => isVirtual
            ? new Dictionary<string, byte[]?> { ["keyspace_name"] = Text(t.Keyspace), ["table_name"] = Text(t.Name), ["comment"] = Text("") }
            : TableRow(t));

    public static IEnumerable<Dictionary<string, byte[]?>> Columns(IEnumerable<KeyspaceDefinition> keyspaces) =>
        keyspaces.SelectMany(k => k.Tables.Values).SelectMany(t => t.Columns.Select(c => new Dictionary<string, byte[]?>
        {
            ["keyspace_name"] = Text(t.Keyspace),
            ["table_name"] = Text(t.Name),
            ["column_name"] = Text(c.Name),
            ["clustering_order"] = Text(c.Kind != ColumnKind.Clustering ? "none" : c.Descending ? "desc" : "asc"),
            ["column_name_bytes"] = Text(c.Name),
            ["kind"] = Text(c.Kind switch { ColumnKind.PartitionKey => "partition_key", ColumnKind.Clustering => "clustering", _ => "regular" }),
            ["position"] = Int(c.Kind == ColumnKind.Regular ? -1 : c.Position),
            ["type"] = Text(c.DeclaredType.ToString()),
        }));

    private static Dictionary<string, byte[]?> TableRow(TableDefinition table) => new()
    {
        ["keyspace_name"] = Text(table.Keyspace),
        ["table_name"] = Text(table.Name),
        ["bloom_filter_fp_chance"] = Double(NumberOption(table, "bloom_filter_fp_chance", 0.01)),
        ["caching"] = TextMap(MapOption(table, "caching", new() { ["keys"] = "ALL", ["rows_per_partition"] = "NONE" })),
        ["comment"] = Text(TextOption(table, "comment", "")),
        ["compaction"] = TextMap(MapOption(table, "compaction", new()
        {
            ["class"] = "org.apache.cassandra.db.compaction.SizeTieredCompactionStrategy",
            ["max_threshold"] = "32",
            ["min_threshold"] = "4",
        })),
        ["compression"] = TextMap(MapOption(table, "compression", new()
        {
            ["chunk_length_in_kb"] = "16",
            ["class"] = "org.apache.cassandra.io.compress.LZ4Compressor",
        })),
        ["crc_check_chance"] = Double(NumberOption(table, "crc_check_chance", 1.0)),
        ["dclocal_read_repair_chance"] = Double(0.0),
        ["default_time_to_live"] = Int(table.DefaultTimeToLive),
        ["extensions"] = TextMap(new Dictionary<string, string>()),
        ["flags"] = TextSet("compound"),
        ["gc_grace_seconds"] = Int((int)NumberOption(table, "gc_grace_seconds", 864000)),
        ["id"] = Uuid(table.Id),
        ["max_index_interval"] = Int((int)NumberOption(table, "max_index_interval", 2048)),
        ["memtable_flush_period_in_ms"] = Int((int)NumberOption(table, "memtable_flush_period_in_ms", 0)),
        ["min_index_interval"] = Int((int)NumberOption(table, "min_index_interval", 128)),
        ["read_repair_chance"] = Double(0.0),
        ["speculative_retry"] = Text(TextOption(table, "speculative_retry", "99p")),
        ["additional_write_policy"] = Text(TextOption(table, "additional_write_policy", "99p")),
        ["cdc"] = Boolean(TextOption(table, "cdc", "false") == "true"),
        ["read_repair"] = Text(TextOption(table, "read_repair", "BLOCKING")),
    };

    private static string TextOption(TableDefinition table, string name, string fallback) =>
        table.Options.GetValueOrDefault(name) is LiteralTerm literal ? literal.Text : fallback;

    private static double NumberOption(TableDefinition table, string name, double fallback) =>
        table.Options.GetValueOrDefault(name) is LiteralTerm { Kind: LiteralKind.Integer or LiteralKind.Float } literal
            ? double.Parse(literal.Text, CultureInfo.InvariantCulture)
            : fallback;

    private static Dictionary<string, string> MapOption(TableDefinition table, string name, Dictionary<string, string> fallback) =>
        table.Options.GetValueOrDefault(name) is MapLiteralTerm map && map.Entries.All(e => e is { Key: LiteralTerm, Value: LiteralTerm })
            ? map.Entries.ToDictionary(e => ((LiteralTerm)e.Key).Text, e => ((LiteralTerm)e.Value).Text, StringComparer.Ordinal)
            : fallback;
}
