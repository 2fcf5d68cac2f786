using Streaming.Cql.Protocol;
using Streaming.LocalCql.Parsing;
using Streaming.LocalCql.Schema;
using Streaming.LocalCql.Storage;
using Streaming.LocalCql.SystemTables;

namespace Streaming.LocalCql.Execution;

/// <summary>Everything one statement executes against: the shared database, the caller's session, values and options, the clock.</summary>
internal sealed class ExecutionContext(
    Database database, SystemTableSource systemTables, EngineSession session, QueryParameters parameters, TimeProvider time)
{
    private readonly DateTimeOffset now = time.GetUtcNow();

    public Database Database => database;

    public Catalog Catalog { get; } = database.Catalog;

    public EngineSession Session => session;

    public IReadOnlyList<CqlValue> Values => parameters.Values;

    public QueryParameters Options => parameters;

    public TimeProvider Time => time;

    /// <summary>The statement's "now" in whole seconds, the granularity of Cassandra's TTL expiry.</summary>
    public long NowSecond => now.ToUnixTimeSeconds();

    /// <summary>The server-side write timestamp: microseconds since the epoch.</summary>
    public long NowMicros => (now.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10;

    public TableDefinition Table(QualifiedName name) => Catalog.Table(name, session);

    /// <summary>The rows of a table: the stored ones, or for a system table a fresh view of the node and catalog.</summary>
    public TableStore Rows(TableDefinition table) =>
        SystemSchema.IsSystemKeyspace(table.Keyspace) ? systemTables.Read(table) : database.Store(table);
}
