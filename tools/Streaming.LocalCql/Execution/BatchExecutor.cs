using Streaming.Cql.Protocol;
using Streaming.Cql;
using Streaming.LocalCql.Parsing;

namespace Streaming.LocalCql.Execution;

/// <summary>
/// BATCH, from a BATCH frame or <c>BEGIN BATCH ... APPLY BATCH</c> text: every entry is validated and planned first,
/// then all are applied, so an invalid entry leaves the data untouched. Only INSERT, UPDATE and DELETE may appear;
/// conditional entries and counter batches are refused (the engine has no counters).
/// </summary>
internal static class BatchExecutor
{
    /// <summary>A batch written as query text; its markers are numbered across all its statements.</summary>
    public static ResultResponse Execute(BatchStatement batch, ExecutionContext context)
    {
        if (batch.Using.Ttl is not null)
        {
            throw CqlEngineException.Invalid("Global TTL on the BATCH statement is not supported.");
        }

        var table = batch.Statements.Count > 0 ? context.Table(batch.Statements[0].Table) : null;
        var batchTimestamp = table is null ? null : TermBinder.OptionalLong(batch.Using.Timestamp, Receivers.Timestamp(table), context);
        Apply(batch.Kind, [.. batch.Statements.Select(s => (s, context))], batchTimestamp, context.NowSecond);
        return new VoidResult();
    }

    /// <summary>The entries of a BATCH frame, each already parsed and with its own values.</summary>
    public static ResultResponse Execute(IReadOnlyList<(ParsedQuery Query, ExecutionContext Context)> entries, BatchType kind, long nowSecond)
    {
        var statements = new List<(ModificationStatement, ExecutionContext)>();
        foreach (var (query, context) in entries)
        {
            if (query.Statement is not ModificationStatement modification)
            {
                throw CqlEngineException.Invalid("Invalid statement in batch: only UPDATE, INSERT and DELETE statements are allowed.");
            }

            StatementExecutor.CheckValueCount(query, context.Values);
            statements.Add((modification, context));
        }

        Apply(kind, statements, batchTimestamp: null, nowSecond);
        return new VoidResult();
    }

    private static void Apply(BatchType kind, IReadOnlyList<(ModificationStatement Statement, ExecutionContext Context)> statements, long? batchTimestamp, long nowSecond)
    {
        if (kind == BatchType.Counter)
        {
            throw CqlEngineException.Invalid("Cannot include non-counter statement in a counter batch");
        }

        var plans = new List<WritePlan>();
        foreach (var (statement, context) in statements)
        {
            if (batchTimestamp is not null && statement.Using.Timestamp is not null)
            {
                throw CqlEngineException.Invalid("Timestamp must be set either on BATCH or individual statements");
            }

            plans.Add(StatementExecutor.Plan(statement, context, batchTimestamp));
        }

        foreach (var plan in plans)
        {
            plan.Apply(nowSecond);
        }
    }
}
