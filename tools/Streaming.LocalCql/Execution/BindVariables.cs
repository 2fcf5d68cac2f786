using Streaming.Cql.Protocol;
using Streaming.LocalCql.Parsing;
using Streaming.LocalCql.Schema;

namespace Streaming.LocalCql.Execution;

/// <summary>
/// Describes a statement for PREPARE: what each bind marker binds (named as Cassandra names them), which markers bind
/// the partition key, and the result columns. Resolving tables and columns here makes PREPARE fail as Cassandra's does
/// for unknown tables or columns.
/// </summary>
internal static class BindVariables
{
    public static PreparedResult Describe(byte[] id, ParsedQuery query, Catalog catalog, EngineSession session)
    {
        var variables = new ColumnSpec?[query.Markers.Count];
        IReadOnlyList<int> partitionKey = [];
        IReadOnlyList<ColumnSpec> resultColumns = [];
        switch (query.Statement)
        {
            case SelectStatement select:
                var table = catalog.Table(select.Table, session);
                Relations(select.Where, table, variables);
                Assign(select.Limit, Receivers.Limit(table), variables);
                partitionKey = PartitionKeyMarkers(table, select.Where);
                resultColumns = Projection.For(select, table).Columns;
                break;
            case BatchStatement batch:
                foreach (var statement in batch.Statements)
                {
                    Modification(statement, catalog.Table(statement.Table, session), variables);
                }

                break;
            case ModificationStatement modification:
                var modified = catalog.Table(modification.Table, session);
                partitionKey = Modification(modification, modified, variables);
                break;
        }

        if (Array.IndexOf(variables, null) is var missing and >= 0)
        {
            throw CqlEngineException.Unsupported($"The bind marker at position {missing} (inside a collection literal or function call)");
        }

        // Statements without result columns report No_metadata with zero columns, as Cassandra does for writes.
        return new PreparedResult(
            id,
            new PreparedMetadata(variables!, [.. partitionKey.Select(i => (ushort)i)]),
            resultColumns.Count > 0 ? new RowsMetadata(resultColumns) : RowsMetadata.Empty);
    }

    private static IReadOnlyList<int> Modification(ModificationStatement statement, TableDefinition table, ColumnSpec?[] variables)
    {
        Assign(statement.Using.Ttl, Receivers.Ttl(table), variables);
        Assign(statement.Using.Timestamp, Receivers.Timestamp(table), variables);
        switch (statement)
        {
            case InsertStatement insert:
                var columns = insert.Columns.Select(table.Column).ToList();
                for (var i = 0; i < columns.Count; i++)
                {
                    Assign(insert.Values[i], Receivers.Column(table, columns[i]), variables);
                }

                return AllOrNone(table.PartitionKey.Select(pk => columns.IndexOf(pk) is var i and >= 0 ? insert.Values[i] : null));
            case UpdateStatement update:
                foreach (var assignment in update.Assignments)
                {
                    Assign(assignment.Value, Receivers.Column(table, table.Column(assignment.Column)), variables);
                }

                Relations(update.Where, table, variables);
                return PartitionKeyMarkers(table, update.Where);
            case DeleteStatement delete:
                Relations(delete.Where, table, variables);
                return PartitionKeyMarkers(table, delete.Where);
            default:
                return [];
        }
    }

    private static void Relations(IReadOnlyList<Relation> relations, TableDefinition table, ColumnSpec?[] variables)
    {
        foreach (var relation in relations)
        {
            var column = table.Column(relation.Column);
            var receiver = relation.InMarker ? Receivers.InList(table, column) : Receivers.Column(table, column);
            foreach (var value in relation.Values)
            {
                Assign(value, receiver, variables);
            }
        }
    }

    private static void Assign(Term? term, ColumnSpec receiver, ColumnSpec?[] variables)
    {
        if (term is BindMarkerTerm marker)
        {
            variables[marker.Index] = marker.Name is null ? receiver : receiver with { Name = marker.Name };
        }
    }

    /// <summary>The markers binding each partition key column by equality, or none unless all are bound that way.</summary>
    private static IReadOnlyList<int> PartitionKeyMarkers(TableDefinition table, IReadOnlyList<Relation> where) =>
        AllOrNone(table.PartitionKey.Select(pk => where.FirstOrDefault(r => r.Column == pk.Name && r.Operator == RelationOperator.Equal)?.Value));

    private static IReadOnlyList<int> AllOrNone(IEnumerable<Term?> partitionKeyTerms)
    {
        var indexes = partitionKeyTerms.Select(t => t is BindMarkerTerm m ? m.Index : -1).ToList();
        return indexes.Contains(-1) ? [] : indexes;
    }
}
