using System.Collections.Immutable;
using Streaming.LocalCql.Parsing;
using Streaming.LocalCql.Schema;

namespace Streaming.LocalCql.SystemTables;

/// <summary>
/// The built-in keyspaces with Cassandra 4.0's table definitions (column names and types as drivers read them):
/// <c>system</c> (local, peers, peers_v2), <c>system_schema</c> and <c>system_virtual_schema</c>. Their rows are computed
/// when read (<see cref="SystemTableSource"/>); they hold no stored data and refuse writes.
/// </summary>
internal static class SystemSchema
{
    public const string System = "system";
    public const string Schema = "system_schema";
    public const string VirtualSchema = "system_virtual_schema";

    private static readonly IReadOnlyDictionary<string, string> LocalStrategy =
        new Dictionary<string, string> { ["class"] = "org.apache.cassandra.locator.LocalStrategy" };

    private const string SystemTables = """
        CREATE TABLE local (key text, bootstrapped text, broadcast_address inet, broadcast_port int, cluster_name text,
          cql_version text, data_center text, gossip_generation int, host_id uuid, listen_address inet, listen_port int,
          native_protocol_version text, partitioner text, rack text, release_version text, rpc_address inet, rpc_port int,
          schema_version uuid, tokens set<varchar>, truncated_at map<uuid, blob>, PRIMARY KEY ((key)));
        CREATE TABLE peers (peer inet, data_center text, host_id uuid, preferred_ip inet, rack text, release_version text,
          rpc_address inet, schema_version uuid, tokens set<varchar>, PRIMARY KEY ((peer)));
        CREATE TABLE peers_v2 (peer inet, peer_port int, data_center text, host_id uuid, preferred_ip inet, preferred_port int,
          rack text, release_version text, native_address inet, native_port int, schema_version uuid, tokens set<varchar>,
          PRIMARY KEY ((peer), peer_port));
        """;

    private const string SchemaTables = """
        CREATE TABLE keyspaces (keyspace_name text, durable_writes boolean, replication frozen<map<text, text>>,
          PRIMARY KEY ((keyspace_name)));
        CREATE TABLE tables (keyspace_name text, table_name text, bloom_filter_fp_chance double, caching frozen<map<text, text>>,
          comment text, compaction frozen<map<text, text>>, compression frozen<map<text, text>>, crc_check_chance double,
          dclocal_read_repair_chance double, default_time_to_live int, extensions frozen<map<text, blob>>,
          flags frozen<set<text>>, gc_grace_seconds int, id uuid, max_index_interval int, memtable_flush_period_in_ms int,
          min_index_interval int, read_repair_chance double, speculative_retry text, additional_write_policy text,
          cdc boolean, read_repair text, PRIMARY KEY ((keyspace_name), table_name));
        CREATE TABLE columns (keyspace_name text, table_name text, column_name text, clustering_order text,
          column_name_bytes blob, kind text, position int, type text, PRIMARY KEY ((keyspace_name), table_name, column_name));
        CREATE TABLE dropped_columns (keyspace_name text, table_name text, column_name text, dropped_time timestamp,
          kind text, type text, PRIMARY KEY ((keyspace_name), table_name, column_name));
        CREATE TABLE triggers (keyspace_name text, table_name text, trigger_name text, options frozen<map<text, text>>,
          PRIMARY KEY ((keyspace_name), table_name, trigger_name));
        CREATE TABLE views (keyspace_name text, view_name text, base_table_id uuid, base_table_name text, where_clause text,
          bloom_filter_fp_chance double, caching frozen<map<text, text>>, comment text, compaction frozen<map<text, text>>,
          compression frozen<map<text, text>>, crc_check_chance double, dclocal_read_repair_chance double,
          default_time_to_live int, extensions frozen<map<text, blob>>, gc_grace_seconds int, id uuid,
          include_all_columns boolean, max_index_interval int, memtable_flush_period_in_ms int, min_index_interval int,
          read_repair_chance double, speculative_retry text, additional_write_policy text, cdc boolean, read_repair text,
          PRIMARY KEY ((keyspace_name), view_name));
        CREATE TABLE indexes (keyspace_name text, table_name text, index_name text, kind text, options frozen<map<text, text>>,
          PRIMARY KEY ((keyspace_name), table_name, index_name));
        CREATE TABLE types (keyspace_name text, type_name text, field_names frozen<list<text>>, field_types frozen<list<text>>,
          PRIMARY KEY ((keyspace_name), type_name));
        CREATE TABLE functions (keyspace_name text, function_name text, argument_types frozen<list<text>>,
          argument_names frozen<list<text>>, body text, language text, return_type text, called_on_null_input boolean,
          PRIMARY KEY ((keyspace_name), function_name, argument_types));
        CREATE TABLE aggregates (keyspace_name text, aggregate_name text, argument_types frozen<list<text>>, final_func text,
          initcond text, return_type text, state_func text, state_type text,
          PRIMARY KEY ((keyspace_name), aggregate_name, argument_types));
        """;

    private const string VirtualSchemaTables = """
        CREATE TABLE keyspaces (keyspace_name text, PRIMARY KEY ((keyspace_name)));
        CREATE TABLE tables (keyspace_name text, table_name text, comment text, PRIMARY KEY ((keyspace_name), table_name));
        CREATE TABLE columns (keyspace_name text, table_name text, column_name text, clustering_order text,
          column_name_bytes blob, kind text, position int, type text, PRIMARY KEY ((keyspace_name), table_name, column_name));
        """;

    public static bool IsSystemKeyspace(string keyspace) => keyspace is System or Schema or VirtualSchema;

    /// <summary>A catalog holding only the built-in keyspaces.</summary>
    public static Catalog Build() => Catalog.Empty
        .With(Keyspace(System, SystemTables, isVirtual: false))
        .With(Keyspace(Schema, SchemaTables, isVirtual: false))
        .With(Keyspace(VirtualSchema, VirtualSchemaTables, isVirtual: true));

    private static KeyspaceDefinition Keyspace(string name, string script, bool isVirtual)
    {
        var tables = CqlParser.ParseScript(script).Cast<CreateTableStatement>()
            .Select(s => TableDefinitionBuilder.Build(name, s, NameUuid.From(name + s.Table.Name)))
            .ToImmutableSortedDictionary(t => t.Name, t => t, StringComparer.Ordinal);
        return new KeyspaceDefinition(name, LocalStrategy, true, tables, IsSystem: true, IsVirtual: isVirtual);
    }
}
