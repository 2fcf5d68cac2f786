using Streaming.Cql.Protocol;
using Streaming.LocalCql.Parsing;
using Streaming.LocalCql.Schema;
using Streaming.LocalCql.Storage;

namespace Streaming.LocalCql.Execution;

/// <summary>
/// UPDATE: sets cells of the rows named by a full primary key (EQ or IN on every key column). Unlike INSERT it writes
/// no row marker, so a row whose updated cells are all null or expired disappears, as in Cassandra.
/// </summary>
internal static class UpdateExecutor
{
    public static WritePlan Plan(UpdateStatement statement, ExecutionContext context, long? batchTimestamp)
    {
        var table = context.Table(statement.Table);
        var where = BoundRelation.BindAll(statement.Where, table, context);
        var partitions = KeyShape.WritePartitions(table, where);
        if (KeyShape.ClusteringProblem(table, where, requireAll: true) is { } problem)
        {
            throw CqlEngineException.Invalid(problem);
        }

        var rows = BoundRelation.Combinations([.. table.Clustering.Select(c => KeyShape.ValuesOf(c, where))]);
        var parameters = WriteParameters.Resolve(statement.Using, table, context, batchTimestamp);
        var cells = Cells(statement, table, context);
        var writes = partitions
            .SelectMany(partition => rows.Select(row => new RowWrite(partition, row, SetMarker: false, cells, parameters.Timestamp, parameters.Ttl)))
            .ToList();
        return new WritePlan(context.Rows(table), writes, []);
    }

    private static List<CellWrite> Cells(UpdateStatement statement, TableDefinition table, ExecutionContext context)
    {
        var cells = new List<CellWrite>();
        foreach (var assignment in statement.Assignments)
        {
            var column = table.Column(assignment.Column);
            if (column.Kind != ColumnKind.Regular)
            {
                throw CqlEngineException.Invalid($"PRIMARY KEY part {column.Name} found in SET part");
            }

            if (cells.Any(c => c.Slot == column.Position))
            {
                throw CqlEngineException.Invalid($"Multiple definitions found for column {column.Name}");
            }

            var value = TermBinder.Bind(assignment.Value, Receivers.Column(table, column), context);
            if (value.Kind != CqlValueKind.Unset)
            {
                cells.Add(new CellWrite(column.Position, TermBinder.Stored(value)));
            }
        }

        return cells;
    }
}
