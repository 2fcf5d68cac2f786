using Streaming.LocalCql.Parsing;
using Streaming.LocalCql.Schema;
using Streaming.LocalCql.Storage;
using Streaming.LocalCql.Types;

namespace Streaming.LocalCql.Execution;

/// <summary>A WHERE relation with its values bound: one value, or the listed values for IN.</summary>
internal sealed record BoundRelation(ColumnDefinition Column, RelationOperator Operator, IReadOnlyList<byte[]> Values)
{
    public bool IsEqualityOrIn => Operator is RelationOperator.Equal or RelationOperator.In;

    public bool IsSlice => !IsEqualityOrIn;

    /// <summary>Binds every relation of a WHERE clause against the table's columns.</summary>
    public static List<BoundRelation> BindAll(IReadOnlyList<Relation> relations, TableDefinition table, ExecutionContext context) =>
        [.. relations.Select(r => Bind(r, table, context))];

    private static BoundRelation Bind(Relation relation, TableDefinition table, ExecutionContext context)
    {
        var column = table.Column(relation.Column);
        if (relation.InMarker)
        {
            var list = TermBinder.Required(relation.Value, Receivers.InList(table, column), context);
            var items = CollectionCodec.TryDecode(list, 1) ?? throw CqlEngineException.Invalid($"Invalid list for IN on {column.Name}");
            return new BoundRelation(column, relation.Operator, items);
        }

        var receiver = Receivers.Column(table, column);
        return new BoundRelation(column, relation.Operator, [.. relation.Values.Select(v => TermBinder.Required(v, receiver, context))]);
    }

    /// <summary>Whether a row's value for the column satisfies the relation (by the column type's order, not storage order).</summary>
    public bool Matches(RowView row)
    {
        var value = ValueOf(row, Column);
        if (value is null)
        {
            return false;
        }

        var type = Column.Type;
        return Operator switch
        {
            RelationOperator.Equal => ValueComparer.Equal(type, value, Values[0]),
            RelationOperator.In => Values.Any(v => ValueComparer.Equal(type, value, v)),
            RelationOperator.Less => ValueComparer.Compare(type, value, Values[0]) < 0,
            RelationOperator.LessOrEqual => ValueComparer.Compare(type, value, Values[0]) <= 0,
            RelationOperator.Greater => ValueComparer.Compare(type, value, Values[0]) > 0,
            _ => ValueComparer.Compare(type, value, Values[0]) >= 0,
        };
    }

    /// <summary>A column's value in a row: a key component or the live cell's bytes.</summary>
    public static byte[]? ValueOf(RowView row, ColumnDefinition column) => column.Kind switch
    {
        ColumnKind.PartitionKey => row.PartitionKey[column.Position],
        ColumnKind.Clustering => row.Clustering[column.Position],
        _ => row.Cells[column.Position]?.Value,
    };

    /// <summary>Every combination of the given per-component values, e.g. the keys of <c>a IN (1, 2) AND b = 3</c>.</summary>
    public static List<byte[][]> Combinations(IReadOnlyList<IReadOnlyList<byte[]>> components)
    {
        var keys = new List<byte[][]> { Array.Empty<byte[]>() };
        foreach (var values in components)
        {
            keys = [.. keys.SelectMany(prefix => values.Select(v => (byte[][])[.. prefix, v]))];
        }

        return keys;
    }
}
