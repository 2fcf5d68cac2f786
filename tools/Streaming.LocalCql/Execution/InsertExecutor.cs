using Streaming.Cql.Protocol;
using Streaming.LocalCql.Parsing;
using Streaming.LocalCql.Schema;
using Streaming.LocalCql.Storage;

namespace Streaming.LocalCql.Execution;

/// <summary>
/// INSERT: an upsert of one row. Every primary key column is required; unset values leave cells as they are, nulls
/// delete them. IF NOT EXISTS writes only when no live row has the key and answers Cassandra's <c>[applied]</c> row.
/// </summary>
internal static class InsertExecutor
{
    public static ResultResponse Execute(InsertStatement statement, ExecutionContext context)
    {
        var table = context.Table(statement.Table);
        var write = Write(statement, table, context, batchTimestamp: null);
        var store = context.Rows(table);
        if (!statement.IfNotExists)
        {
            store.Apply(write, context.NowSecond);
            return new VoidResult();
        }

        var existing = store.ApplyIfAbsent(write, context.NowSecond);
        var applied = table.Spec("[applied]", CqlType.Boolean);
        if (existing is null)
        {
            return ResultRows.Of([applied], [[[1]]]);
        }

        return ResultRows.Of(
            [applied, .. table.Columns.Select(table.Spec)],
            [[[0], .. table.Columns.Select(c => BoundRelation.ValueOf(existing, c))]]);
    }

    public static WritePlan Plan(InsertStatement statement, ExecutionContext context, long? batchTimestamp)
    {
        if (statement.IfNotExists)
        {
            throw CqlEngineException.Unsupported("A conditional INSERT (IF NOT EXISTS) inside a BATCH");
        }

        var table = context.Table(statement.Table);
        return new WritePlan(context.Rows(table), [Write(statement, table, context, batchTimestamp)], []);
    }

    private static RowWrite Write(InsertStatement statement, TableDefinition table, ExecutionContext context, long? batchTimestamp)
    {
        if (statement.IfNotExists && statement.Using.Timestamp is not null)
        {
            throw CqlEngineException.Invalid("Cannot provide custom timestamp for conditional updates");
        }

        var values = new Dictionary<ColumnDefinition, CqlValue>();
        for (var i = 0; i < statement.Columns.Count; i++)
        {
            var column = table.Column(statement.Columns[i]);
            if (values.ContainsKey(column))
            {
                throw CqlEngineException.Invalid($"Multiple definitions found for column {column.Name}");
            }

            values[column] = TermBinder.Bind(statement.Values[i], Receivers.Column(table, column), context);
        }

        var parameters = WriteParameters.Resolve(statement.Using, table, context, batchTimestamp);
        var cells = table.Regular.Where(c => values.TryGetValue(c, out var v) && v.Kind != CqlValueKind.Unset)
            .Select(c => new CellWrite(c.Position, TermBinder.Stored(values[c])))
            .ToList();
        return new RowWrite(
            Key(table.PartitionKey, values, "Some partition key parts are missing: ", "partition key part"),
            Key(table.Clustering, values, "Some clustering keys are missing: ", "clustering key part"),
            SetMarker: true,
            cells,
            parameters.Timestamp,
            parameters.Ttl);
    }

    private static byte[][] Key(IReadOnlyList<ColumnDefinition> columns, Dictionary<ColumnDefinition, CqlValue> values, string missingMessage, string part)
    {
        var missing = columns.Where(c => !values.ContainsKey(c)).Select(c => c.Name).ToList();
        if (missing.Count > 0)
        {
            throw CqlEngineException.Invalid(missingMessage + string.Join(", ", missing));
        }

        return [.. columns.Select(c => values[c] switch
        {
            { Kind: CqlValueKind.Unset } => throw CqlEngineException.Invalid($"Invalid unset value for column {c.Name}"),
            { Kind: CqlValueKind.Null } => throw CqlEngineException.Invalid($"Invalid null value for {part} {c.Name}"),
            { Bytes.Length: 0 } when c.Kind == ColumnKind.PartitionKey && columns.Count == 1 => throw CqlEngineException.Invalid("Key may not be empty"),
            var v => v.Bytes.ToArray(),
        })];
    }
}
