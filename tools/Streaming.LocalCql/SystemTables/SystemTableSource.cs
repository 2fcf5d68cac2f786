using Streaming.LocalCql.Schema;
using Streaming.LocalCql.Storage;

namespace Streaming.LocalCql.SystemTables;

/// <summary>
/// Serves reads of the built-in tables: each read materializes the table's current rows (node identity, peers, schema
/// from the catalog) into a fresh store, which the ordinary SELECT path then restricts, pages and projects. Tables of
/// system_schema without a counterpart in the engine (types, functions, aggregates, triggers, indexes, views,
/// dropped_columns) are empty.
/// </summary>
internal sealed class SystemTableSource(Database database, NodeRows nodes)
{
    public TableStore Read(TableDefinition table)
    {
        var writer = new SystemRowWriter(table);
        foreach (var row in Rows(table))
        {
            writer.Add(row);
        }

        return writer.Store;
    }

    private IEnumerable<Dictionary<string, byte[]?>> Rows(TableDefinition table)
    {
        var catalog = database.Catalog;
        var real = catalog.Keyspaces.Where(k => !k.IsVirtual);
        var virtualKeyspaces = catalog.Keyspaces.Where(k => k.IsVirtual);
        return (table.Keyspace, table.Name) switch
        {
            (SystemSchema.System, "local") => nodes.Local(database.SchemaVersion),
            (SystemSchema.System, "peers") => nodes.Peers(database.SchemaVersion),
            (SystemSchema.System, "peers_v2") => nodes.PeersV2(database.SchemaVersion),
            (SystemSchema.Schema, "keyspaces") => SchemaRows.Keyspaces(real, isVirtual: false),
            (SystemSchema.Schema, "tables") => SchemaRows.Tables(real, isVirtual: false),
            (SystemSchema.Schema, "columns") => SchemaRows.Columns(real),
            (SystemSchema.VirtualSchema, "keyspaces") => SchemaRows.Keyspaces(virtualKeyspaces, isVirtual: true),
            (SystemSchema.VirtualSchema, "tables") => SchemaRows.Tables(virtualKeyspaces, isVirtual: true),
            (SystemSchema.VirtualSchema, "columns") => SchemaRows.Columns(virtualKeyspaces),
            _ => [],
        };
    }
}
