using Streaming.Cql.Protocol;
using Streaming.LocalCql.Parsing;
using Streaming.LocalCql.Schema;

namespace Streaming.LocalCql.Execution;

/// <summary>Runs one parsed statement: checks the bound values, refuses writes to system keyspaces, dispatches by kind.</summary>
internal static class StatementExecutor
{
    public static ResultResponse Execute(ParsedQuery query, ExecutionContext context)
    {
        CheckValueCount(query, context.Values);
        var statement = query.Statement;
        if (Modified(statement, context.Session) is { } keyspace)
        {
            SchemaExecutor.CheckModifiable(keyspace);
        }

        if (query.Markers.Count > 0 && statement is CreateKeyspaceStatement or CreateTableStatement)
        {
            throw CqlEngineException.Invalid("Bind variables are not allowed in CREATE statements");
        }

        switch (statement)
        {
            case SelectStatement select:
                return SelectExecutor.Execute(select, context);
            case InsertStatement insert:
                return InsertExecutor.Execute(insert, context);
            case ModificationStatement modification:
                Plan(modification, context, batchTimestamp: null).Apply(context.NowSecond);
                return new VoidResult();
            case BatchStatement batch:
                return BatchExecutor.Execute(batch, context);
            case UseStatement use:
                return SchemaExecutor.Use(use, context);
            case CreateKeyspaceStatement createKeyspace:
                return SchemaExecutor.CreateKeyspace(createKeyspace, context);
            case DropKeyspaceStatement dropKeyspace:
                return SchemaExecutor.DropKeyspace(dropKeyspace, context);
            case CreateTableStatement createTable:
                return SchemaExecutor.CreateTable(createTable, context);
            case DropTableStatement dropTable:
                return SchemaExecutor.DropTable(dropTable, context);
            case TruncateStatement truncate:
                return SchemaExecutor.Truncate(truncate, context);
            default:
                throw CqlEngineException.Unsupported(statement.GetType().Name);
        }
    }

    /// <summary>Validates a write and returns its effect without applying it.</summary>
    public static WritePlan Plan(ModificationStatement statement, ExecutionContext context, long? batchTimestamp)
    {
        SchemaExecutor.CheckModifiable(Catalog.KeyspaceOf(statement.Table, context.Session));
        return statement switch
        {
            InsertStatement insert => InsertExecutor.Plan(insert, context, batchTimestamp),
            UpdateStatement update => UpdateExecutor.Plan(update, context, batchTimestamp),
            DeleteStatement delete => DeleteExecutor.Plan(delete, context, batchTimestamp),
            _ => throw CqlEngineException.Unsupported(statement.GetType().Name),
        };
    }

    public static void CheckValueCount(ParsedQuery query, IReadOnlyList<CqlValue> values)
    {
        if (values.Count != query.Markers.Count)
        {
            throw CqlEngineException.Invalid($"There were {query.Markers.Count} markers(?) in CQL but {values.Count} bound variables");
        }
    }

    /// <summary>The keyspace a statement would change, or null for reads and USE.</summary>
    private static string? Modified(CqlStatement statement, EngineSession session) => statement switch
    {
        ModificationStatement m => Catalog.KeyspaceOf(m.Table, session),
        TruncateStatement t => Catalog.KeyspaceOf(t.Table, session),
        CreateTableStatement c => Catalog.KeyspaceOf(c.Table, session),
        DropTableStatement d => Catalog.KeyspaceOf(d.Table, session),
        CreateKeyspaceStatement k => k.Name,
        DropKeyspaceStatement k => k.Name,
        _ => null,
    };
}
