using System.Collections.Immutable;

namespace Streaming.LocalCql.Schema;

/// <summary>
/// A keyspace and its tables. System keyspaces are built in and read-only; virtual ones (system_virtual_schema) are
/// listed in the system_virtual_schema tables instead of system_schema, as Cassandra 4 does.
/// </summary>
internal sealed record KeyspaceDefinition(
    string Name,
    IReadOnlyDictionary<string, string> Replication,
    bool DurableWrites,
    ImmutableSortedDictionary<string, TableDefinition> Tables,
    bool IsSystem = false,
    bool IsVirtual = false)
{
    public KeyspaceDefinition WithTable(TableDefinition table) => this with { Tables = Tables.SetItem(table.Name, table) };

    public KeyspaceDefinition WithoutTable(string table) => this with { Tables = Tables.Remove(table) };
}
