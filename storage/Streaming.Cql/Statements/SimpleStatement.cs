using Streaming.Cql.Protocol;
using Streaming.Cql.Types;

namespace Streaming.Cql.Statements;

/// <summary>
/// A query sent as text (QUERY). Values for its '?' or ':name' markers are serialized right away from their .NET
/// types (<see cref="CqlTypeInference"/>), so a value of an unsupported type fails here, not at execution.
/// </summary>
public sealed class SimpleStatement : Statement
{
    /// <summary>A query with positional values for its '?' markers.</summary>
    public SimpleStatement(string query, params object?[] values)
    {
        Query = query;
        Values = (values ?? [null]).Select(EncodeAt).ToArray();
    }

    /// <summary>A query with values for its ':name' markers.</summary>
    public SimpleStatement(string query, IReadOnlyDictionary<string, object?> namedValues)
    {
        Query = query;
        ValueNames = namedValues.Keys.ToArray();
        Values = namedValues.Values.Select(EncodeAt).ToArray();
    }

    public string Query { get; }

    /// <summary>The serialized values, in marker order.</summary>
    public IReadOnlyList<CqlValue> Values { get; }

    /// <summary>Marker names parallel to <see cref="Values"/>, or null for positional values.</summary>
    public IReadOnlyList<string>? ValueNames { get; }

    public override string ToString() => Query;

    private static CqlValue EncodeAt(object? value, int index)
    {
        try
        {
            return CqlValueCodec.EncodeInferred(value);
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"Value {index} of the statement: {e.Message}", e);
        }
    }
}
