using System.Net;
using Streaming.Cql;
using Streaming.Cql.Protocol;
using Streaming.LocalCql.Execution;
using Streaming.LocalCql.Parsing;
using Streaming.LocalCql.Storage;
using Streaming.LocalCql.SystemTables;
using Streaming.LocalCql.Testing;

namespace Streaming.LocalCql;

/// <summary>
/// One node of a local CQL cluster: parses and executes CQL against in-memory schema and data and answers in native
/// protocol v4 result shapes. Thread-safe: any number of connections may call it at once. Nodes made with
/// <see cref="AddNode"/> or <see cref="CreateCluster"/> share schema and data (a write through one is read through any)
/// but each has its own identity in system.local, its own prepared statements and its own <see cref="TestControl"/>.
/// Every failure is a <see cref="CqlEngineException"/> carrying a protocol error code.
/// </summary>
public sealed class CqlEngine
{
    /// <summary>Schema scripts run at ONE, like cqlsh by default.</summary>
    private static readonly QueryParameters ScriptParameters = new() { Consistency = CqlConsistency.One };

    private readonly Database database;
    private readonly SystemTableSource systemTables;
    private readonly PreparedStatements prepared = new();
    private readonly TimeProvider time;

    /// <summary>A single-node cluster of its own.</summary>
    /// <param name="options">This node's identity and peers; null: 127.0.0.1:9042 with no peers.</param>
    /// <param name="time">The clock for TTL expiry, write timestamps and test delays; null: the system clock.</param>
    public CqlEngine(CqlEngineOptions? options = null, TimeProvider? time = null)
        : this(options ?? new CqlEngineOptions(), time ?? TimeProvider.System, new Database(SystemSchema.Build()))
    {
    }

    private CqlEngine(CqlEngineOptions options, TimeProvider time, Database database)
    {
        Options = options;
        this.time = time;
        this.database = database;
        var topology = ClusterTopology.From(options);
        HostId = topology.Local.HostId;
        systemTables = new SystemTableSource(database, new NodeRows(options, topology, time.GetUtcNow().ToUnixTimeSeconds()));
        TestControl = new CqlTestControl(time);
    }

    /// <summary>
    /// Raised after every schema change made through any node of this cluster (once per subscription), for the front
    /// end to push SCHEMA_CHANGE events to connections that REGISTERed for them. Handlers run on the thread that executed
    /// the DDL, after the change is applied; they should only hand the event on (an exception reaches that DDL's caller
    /// as a ServerError although the change stands).
    /// </summary>
    public event Action<SchemaChange>? SchemaChanged
    {
        add => database.SchemaChanged += value;
        remove => database.SchemaChanged -= value;
    }

    /// <summary>This node's identity and peers.</summary>
    public CqlEngineOptions Options { get; }

    /// <summary>This node's host_id in system.local (and in its peers' system.peers).</summary>
    public Guid HostId { get; }

    /// <summary>The cluster's current schema_version; changes after every DDL.</summary>
    public Guid SchemaVersion => database.SchemaVersion;

    /// <summary>Fault injection and request counts for this node (tests only).</summary>
    public CqlTestControl TestControl { get; }

    /// <summary>
    /// A cluster of nodes at <paramref name="endpoints"/> sharing schema and data, each listing the others as peers.
    /// <paramref name="template"/> supplies the cluster name, data center, rack and release version.
    /// </summary>
    public static IReadOnlyList<CqlEngine> CreateCluster(IReadOnlyList<IPEndPoint> endpoints, CqlEngineOptions? template = null, TimeProvider? time = null)
    {
        ArgumentOutOfRangeException.ThrowIfZero(endpoints.Count);
        var baseOptions = template ?? new CqlEngineOptions();
        CqlEngineOptions For(IPEndPoint endpoint) => baseOptions with
        {
            Endpoint = endpoint,
            HostId = null,
            Peers = [.. endpoints.Where(e => !e.Equals(endpoint)).Select(e => new CqlPeer(e))],
        };

        var first = new CqlEngine(For(endpoints[0]), time);
        return [first, .. endpoints.Skip(1).Select(e => first.AddNode(For(e)))];
    }

    /// <summary>Another node of this node's cluster: same schema and data, its own identity and prepared statements.</summary>
    public CqlEngine AddNode(CqlEngineOptions options) => new(options, time, database);

    /// <summary>
    /// PREPARE: parses and resolves <paramref name="query"/> (unqualified tables in <paramref name="sessionKeyspace"/>)
    /// and remembers it on this node under <see cref="PreparedResult.Id"/>: MD5 of the keyspace and query text, so every
    /// node derives the same id. The result carries the bind variables, the partition key indexes (empty unless each
    /// partition key column is bound by its own marker) and the result columns (none for statements other than SELECT).
    /// </summary>
    public PreparedResult Prepare(string query, string? sessionKeyspace) => Guarded(() =>
    {
        var parsed = CqlParser.Parse(query);
        var session = new EngineSession(sessionKeyspace);
        Intercept(parsed.Statement, session, prepare: true, consistency: null);
        var catalog = database.Catalog;
        var metadata = BindVariables.Describe(PreparedStatements.IdOf(query, sessionKeyspace), parsed, catalog, session);
        prepared.Add(new PreparedEntry(parsed, sessionKeyspace, metadata, PreparedStatements.TablesOf(parsed.Statement, catalog, session)));
        return metadata;
    });

    /// <summary>
    /// QUERY: parses and executes <paramref name="query"/> with the positional values, page size, paging state,
    /// consistency (recorded, never enforced) and default timestamp of <paramref name="parameters"/>. The result is
    /// Void, Rows (with a paging state when more rows follow), Set_keyspace or Schema_change.
    /// </summary>
    public ResultResponse Execute(string query, QueryParameters parameters, EngineSession session) =>
        Guarded(() => Run(CqlParser.Parse(query), parameters, session));

    /// <summary>EXECUTE: runs a statement prepared on this node; an unknown id fails with Unprepared carrying the id.</summary>
    public ResultResponse Execute(ReadOnlyMemory<byte> preparedId, QueryParameters parameters, EngineSession session) =>
        Guarded(() =>
        {
            var (query, statementSession) = PreparedStatement(preparedId, session);
            return Run(query, parameters, statementSession);
        });

    /// <summary>BATCH: applies every entry (query text or prepared id) or, when any entry is invalid, none.</summary>
    public ResultResponse ExecuteBatch(BatchRequest batch, EngineSession session) =>
        Guarded(() =>
        {
            TestControl.Intercept(CqlStatementKind.Batch, session.Keyspace, null, onSystemTable: false, batch.Consistency);
            var resolved = batch.Queries.Select(entry =>
            {
                var (query, entrySession) = entry.PreparedId is { } id ? PreparedStatement(id, session) : (CqlParser.Parse(entry.Query!), session);
                var parameters = new QueryParameters
                {
                    Consistency = batch.Consistency,
                    SerialConsistency = batch.SerialConsistency,
                    DefaultTimestamp = batch.DefaultTimestamp,
                    Values = entry.Values,
                };
                return (query, Context(parameters, entrySession));
            }).ToList();
            return BatchExecutor.Execute(resolved, batch.Type, time.GetUtcNow().ToUnixTimeSeconds());
        });

    /// <summary>Runs a script of <c>;</c>-separated statements without bind markers, such as a schema file.</summary>
    public void ExecuteScript(string cql, EngineSession? session = null)
    {
        var scriptSession = session ?? new EngineSession();
        Guarded(() =>
        {
            foreach (var statement in CqlParser.ParseScript(cql))
            {
                Run(new ParsedQuery(statement, []), ScriptParameters, scriptSession);
            }

            return new VoidResult();
        });
    }

    /// <summary>
    /// Forgets the statements prepared on this node, as a restarted node does when its cache is gone: clients get
    /// Unprepared and prepare again. Schema and data stay.
    /// </summary>
    internal void ForgetPreparedStatements() => prepared.Clear();

    /// <summary>
    /// A statement prepared on this node, with the session to resolve it in: the keyspace it was prepared in, as Cassandra
    /// binds prepared statements, except that USE changes the caller's own session.
    /// </summary>
    private (ParsedQuery Query, EngineSession Session) PreparedStatement(ReadOnlyMemory<byte> id, EngineSession session)
    {
        var entry = prepared.Get(id, database.Catalog);
        return (entry.Query, entry.Keyspace is null || entry.Query.Statement is UseStatement ? session : new EngineSession(entry.Keyspace));
    }

    private ResultResponse Run(ParsedQuery query, QueryParameters parameters, EngineSession session)
    {
        Intercept(query.Statement, session, prepare: false, parameters.Consistency);
        if (parameters.ValueNames is not null)
        {
            throw CqlEngineException.Unsupported("Binding values by name (QUERY/EXECUTE flag 0x40)");
        }

        return StatementExecutor.Execute(query, Context(parameters, session));
    }

    private Execution.ExecutionContext Context(QueryParameters parameters, EngineSession session) =>
        new(database, systemTables, session, parameters, time);

    private void Intercept(CqlStatement statement, EngineSession session, bool prepare, CqlConsistency? consistency)
    {
        var kind = statement switch
        {
            SelectStatement => CqlStatementKind.Select,
            InsertStatement => CqlStatementKind.Insert,
            UpdateStatement => CqlStatementKind.Update,
            DeleteStatement => CqlStatementKind.Delete,
            TruncateStatement => CqlStatementKind.Truncate,
            BatchStatement => CqlStatementKind.Batch,
            UseStatement => CqlStatementKind.Use,
            _ => CqlStatementKind.Schema,
        };
        var table = statement is BatchStatement ? null : StatementTargets.Tables(statement).FirstOrDefault();
        var keyspace = table?.Keyspace ?? session.Keyspace;
        var onSystemTable = keyspace is not null && table is not null && SystemSchema.IsSystemKeyspace(keyspace);
        TestControl.Intercept(prepare ? CqlStatementKind.Prepare : kind, keyspace, table?.Name, onSystemTable, consistency);
    }

    /// <summary>Whatever goes wrong reaches the caller as a protocol error: a bug becomes ServerError, never a hang.</summary>
    private static T Guarded<T>(Func<T> action)
    {
        try
        {
            return action();
        }
        catch (CqlEngineException)
        {
            throw;
        }
        catch (Exception unexpected) when (unexpected is not OutOfMemoryException)
        {
            throw new CqlEngineException(CqlErrorCode.ServerError, unexpected.GetType().Name + ": " + unexpected.Message);
        }
    }
}
