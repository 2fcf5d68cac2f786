using Streaming.LocalCql.Parsing;
using Streaming.LocalCql.Schema;
using Streaming.LocalCql.Storage;

namespace Streaming.LocalCql.Execution;

/// <summary>
/// DELETE: whole partitions, the rows of a clustering prefix or slice, or named cells of fully specified rows.
/// Deleted rows are removed at once (the local server keeps no tombstones for rows; deleted cells keep their timestamp).
/// </summary>
internal static class DeleteExecutor
{
    public static WritePlan Plan(DeleteStatement statement, ExecutionContext context, long? batchTimestamp)
    {
        var table = context.Table(statement.Table);
        var slots = statement.Columns.Count == 0 ? null : Slots(statement, table);
        var where = BoundRelation.BindAll(statement.Where, table, context);
        var partitions = KeyShape.WritePartitions(table, where);
        if (KeyShape.ClusteringProblem(table, where, requireAll: slots is not null) is { } problem)
        {
            throw CqlEngineException.Invalid(slots is not null && problem.StartsWith("Some clustering", StringComparison.Ordinal)
                ? "Range deletions are not supported for specific columns"
                : problem);
        }

        var onClustering = where.Where(r => r.Column.Kind == ColumnKind.Clustering).ToList();
        var timestamp = WriteParameters.Resolve(statement.Using, table, context, batchTimestamp).Timestamp;
        var deletions = partitions.Select(partition => new RowDeletion(
            partition,
            onClustering.Count == 0 ? null : clustering => onClustering.All(r => r.Matches(new RowView(partition, clustering, []))),
            slots,
            timestamp)).ToList();
        return new WritePlan(context.Rows(table), [], deletions);
    }

    private static List<int> Slots(DeleteStatement statement, TableDefinition table) =>
        [.. statement.Columns.Select(name => table.Column(name) switch
        {
            { Kind: ColumnKind.Regular } column => column.Position,
            var column => throw CqlEngineException.Invalid($"Invalid identifier {column.Name} for deletion (should not be a PRIMARY KEY part)"),
        })];
}
