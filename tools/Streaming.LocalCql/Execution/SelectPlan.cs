using Streaming.LocalCql.Parsing;
using Streaming.LocalCql.Schema;
using Streaming.LocalCql.Storage;

namespace Streaming.LocalCql.Execution;

/// <summary>
/// How a SELECT reads: the partitions it names (null: a scan of the table), the filter every row must pass, and the
/// direction. Without ALLOW FILTERING, WHERE clauses that Cassandra would refuse are refused with its messages.
/// </summary>
internal sealed record SelectPlan(IReadOnlyList<byte[][]>? Partitions, Func<RowView, bool> Filter, bool Reversed)
{
    /// <summary>Several partitions with ORDER BY: Cassandra sorts their rows together by clustering order.</summary>
    public bool NeedsPostOrdering { get; init; }

    public static SelectPlan Build(SelectStatement statement, TableDefinition table, ExecutionContext context, KeyComparer partitionOrder)
    {
        var where = BoundRelation.BindAll(statement.Where, table, context);
        KeyShape.CheckNoConflicts(where);
        var partitionRestricted = KeyShape.PartitionProblem(table, where) is null;
        if (!statement.AllowFiltering && FilteringProblem(table, where, partitionRestricted) is { } problem)
        {
            throw CqlEngineException.Invalid(problem);
        }

        var partitions = partitionRestricted
            ? BoundRelation.Combinations([.. table.PartitionKey.Select(c => KeyShape.ValuesOf(c, where))])
                .Order(partitionOrder).Distinct(new KeyEquality(partitionOrder)).ToList()
            : null;
        var reversed = ReadsReversed(statement.OrderBy, table, partitionRestricted);
        return new SelectPlan(partitions, row => where.All(r => r.Matches(row)), reversed)
        {
            NeedsPostOrdering = statement.OrderBy.Count > 0 && partitions is { Count: > 1 },
        };
    }

    /// <summary>Cassandra's message for a WHERE that would need filtering, or null.</summary>
    private static string? FilteringProblem(TableDefinition table, List<BoundRelation> where, bool partitionRestricted)
    {
        var onPartition = where.Where(r => r.Column.Kind == ColumnKind.PartitionKey).ToList();
        if (!partitionRestricted && onPartition.Count > 0)
        {
            return onPartition.Any(r => r.IsSlice) ? KeyShape.PartitionProblem(table, where) : KeyShape.FilteringMessage;
        }

        if (KeyShape.ClusteringProblem(table, where) is { } clusteringProblem)
        {
            return clusteringProblem;
        }

        var onOthers = where.Any(r => r.Column.Kind == ColumnKind.Regular)
            || (!partitionRestricted && where.Any(r => r.Column.Kind == ColumnKind.Clustering));
        return onOthers ? KeyShape.FilteringMessage : null;
    }

    /// <summary>
    /// ORDER BY must name clustering columns in their declared order, all in the table's order or all reversed, and
    /// needs the partition key restricted. Returns whether rows are read in reverse clustering order.
    /// </summary>
    private static bool ReadsReversed(IReadOnlyList<ClusteringOrder> orderBy, TableDefinition table, bool partitionRestricted)
    {
        if (orderBy.Count == 0)
        {
            return false;
        }

        if (!partitionRestricted)
        {
            throw CqlEngineException.Invalid("ORDER BY is only supported when the partition key is restricted by an EQ or an IN.");
        }

        var reversed = new List<bool>();
        for (var i = 0; i < orderBy.Count; i++)
        {
            var column = table.Column(orderBy[i].Column);
            if (column.Kind != ColumnKind.Clustering)
            {
                throw CqlEngineException.Invalid($"Order by is currently only supported on the clustered columns of the PRIMARY KEY, got {column.Name}");
            }

            if (column.Position != i)
            {
                throw CqlEngineException.Invalid("Order by currently only supports the ordering of columns following their declared order in the PRIMARY KEY");
            }

            reversed.Add(orderBy[i].Descending != column.Descending);
        }

        return reversed.Distinct().Count() == 1 ? reversed[0] : throw CqlEngineException.Invalid("Unsupported order by relation");
    }

    private sealed class KeyEquality(KeyComparer order) : IEqualityComparer<byte[][]>
    {
        public bool Equals(byte[][]? x, byte[][]? y) => order.Compare(x, y) == 0;

        public int GetHashCode(byte[][] obj) => obj.Length;
    }
}
