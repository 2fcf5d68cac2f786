using System.Collections.Concurrent;
using Streaming.Cql.Protocol;
using Streaming.LocalCql.Schema;

namespace Streaming.LocalCql.Storage;

/// <summary>
/// The schema and data of one local cluster, shared by every engine node of it, so a row written through one node is
/// read through any other. DDL is serialized and bumps <see cref="SchemaVersion"/>; data writes go to the tables' stores.
/// </summary>
internal sealed class Database
{
    private readonly Lock ddl = new();
    private readonly ConcurrentDictionary<Guid, TableStore> stores = new();
    private volatile Catalog catalog;
    private Guid schemaVersion = Guid.NewGuid();

    public Database(Catalog systemCatalog)
    {
        catalog = systemCatalog;
    }

    /// <summary>Raised after every schema change, outside the DDL lock, for SCHEMA_CHANGE events.</summary>
    public event Action<SchemaChange>? SchemaChanged;

    public Catalog Catalog => catalog;

    /// <summary>The schema_version every node reports; a new random UUID after each schema change, as Cassandra's digest changes.</summary>
    public Guid SchemaVersion
    {
        get
        {
            lock (ddl)
            {
                return schemaVersion;
            }
        }
    }

    public TableStore Store(TableDefinition table) => stores.GetOrAdd(table.Id, _ => new TableStore(table));

    /// <summary>
    /// Applies a schema change computed from the current catalog under the DDL lock. <paramref name="change"/> returns the
    /// next catalog and what changed, or null when nothing did (IF [NOT] EXISTS). Stores of dropped tables are released.
    /// </summary>
    public ResultResponse ChangeSchema(Func<Catalog, CatalogChange> change)
    {
        SchemaChangeResult? result;
        lock (ddl)
        {
            var before = catalog;
            (var next, result) = change(before);
            if (result is null)
            {
                return new VoidResult();
            }

            catalog = next;
            schemaVersion = Guid.NewGuid();
            var live = next.Keyspaces.SelectMany(k => k.Tables.Values).Select(t => t.Id).ToHashSet();
            foreach (var dropped in stores.Keys.Where(id => !live.Contains(id)))
            {
                stores.TryRemove(dropped, out _);
            }
        }

        SchemaChanged?.Invoke(result.Change);
        return result;
    }
}

/// <summary>The catalog after a DDL statement and what changed; <see cref="Change"/> null when nothing did.</summary>
internal sealed record CatalogChange(Catalog Next, SchemaChangeResult? Change)
{
    public static CatalogChange None(Catalog unchanged) => new(unchanged, null);
}
