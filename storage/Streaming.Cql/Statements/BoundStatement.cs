using Streaming.Cql.Protocol;

namespace Streaming.Cql.Statements;

/// <summary>A prepared statement with its values, executed by id (EXECUTE, section 4.1.6).</summary>
public sealed class BoundStatement : Statement
{
    internal BoundStatement(PreparedStatement prepared, IReadOnlyList<CqlValue> values)
    {
        Prepared = prepared;
        Values = values;
    }

    public PreparedStatement Prepared { get; }

    /// <summary>The serialized values, in marker order.</summary>
    public IReadOnlyList<CqlValue> Values { get; }

    public override string ToString() => Prepared.Query;
}
