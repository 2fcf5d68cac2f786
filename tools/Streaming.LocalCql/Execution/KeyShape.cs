using Streaming.LocalCql.Schema;

namespace Streaming.LocalCql.Execution;

/// <summary>
/// Cassandra's rules for how WHERE may restrict the primary key without filtering: EQ or IN on every partition key
/// column; EQ/IN on a prefix of the clustering columns, then at most one slice on the next one. Each check returns
/// Cassandra's message for the first rule broken, or null.
/// </summary>
internal static class KeyShape
{
    public const string FilteringMessage = "Cannot execute this query as it might involve data filtering and thus may have "
        + "unpredictable performance. If you want to execute this query despite the performance unpredictability, use ALLOW FILTERING";

    /// <summary>A column restricted more than once where one of the restrictions is EQ/IN is always an error.</summary>
    public static void CheckNoConflicts(IReadOnlyList<BoundRelation> relations)
    {
        foreach (var group in relations.GroupBy(r => r.Column.Name).Where(g => g.Count() > 1 && g.Any(r => r.IsEqualityOrIn)))
        {
            throw CqlEngineException.Invalid($"{group.Key} cannot be restricted by more than one relation if it includes an Equal");
        }
    }

    /// <summary>Null when every partition key column is restricted by EQ or IN.</summary>
    public static string? PartitionProblem(TableDefinition table, IReadOnlyList<BoundRelation> relations)
    {
        var onKey = relations.Where(r => r.Column.Kind == ColumnKind.PartitionKey).ToList();
        if (onKey.Any(r => r.IsSlice))
        {
            return "Only EQ and IN relation are supported on the partition key (unless you use the token() function or allow filtering)";
        }

        var missing = table.PartitionKey.Where(c => onKey.All(r => r.Column != c)).Select(c => c.Name).ToList();
        return missing.Count == 0 ? null : "Some partition key parts are missing: " + string.Join(", ", missing);
    }

    /// <summary>
    /// Null when clustering restrictions are an EQ/IN prefix then at most one sliced column; with
    /// <paramref name="requireAll"/>, every clustering column must be restricted by EQ/IN.
    /// </summary>
    public static string? ClusteringProblem(TableDefinition table, IReadOnlyList<BoundRelation> relations, bool requireAll = false)
    {
        ColumnDefinition? previous = null;
        var previousSliced = false;
        var previousMissing = false;
        foreach (var column in table.Clustering)
        {
            var onColumn = relations.Where(r => r.Column == column).ToList();
            if (onColumn.Count == 0)
            {
                if (requireAll)
                {
                    return "Some clustering keys are missing: " + column.Name;
                }

                previousMissing = true;
            }
            else if (previousMissing)
            {
                return $"PRIMARY KEY column \"{column.Name}\" cannot be restricted as preceding column \"{previous!.Name}\" is not restricted";
            }
            else if (previousSliced)
            {
                return $"Clustering column \"{column.Name}\" cannot be restricted (preceding column \"{previous!.Name}\" is restricted by a non-EQ relation)";
            }
            else if (onColumn.Any(r => r.IsSlice))
            {
                if (requireAll)
                {
                    return $"Slice restrictions are not supported on the clustering columns in UPDATE statements ({column.Name})";
                }

                previousSliced = true;
            }

            previous = column;
        }

        return null;
    }

    /// <summary>The values an EQ/IN relation gives a key column.</summary>
    public static IReadOnlyList<byte[]> ValuesOf(ColumnDefinition column, IReadOnlyList<BoundRelation> relations) =>
        relations.Single(r => r.Column == column && r.IsEqualityOrIn).Values;

    /// <summary>Writes may restrict only primary key columns.</summary>
    public static void CheckOnlyKeyColumns(IReadOnlyList<BoundRelation> relations)
    {
        var regular = relations.Where(r => r.Column.Kind == ColumnKind.Regular).Select(r => r.Column.Name).ToList();
        if (regular.Count > 0)
        {
            throw CqlEngineException.Invalid("Non PRIMARY KEY columns found in where clause: " + string.Join(", ", regular));
        }
    }

    /// <summary>The partition keys a write's WHERE names: every combination of its EQ/IN values.</summary>
    public static List<byte[][]> WritePartitions(TableDefinition table, IReadOnlyList<BoundRelation> relations)
    {
        CheckOnlyKeyColumns(relations);
        CheckNoConflicts(relations);
        if (PartitionProblem(table, relations) is { } problem)
        {
            throw CqlEngineException.Invalid(problem);
        }

        return BoundRelation.Combinations([.. table.PartitionKey.Select(c => ValuesOf(c, relations))]);
    }
}
