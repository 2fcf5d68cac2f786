using Streaming.Cql.Protocol;
using Streaming.Cql.Types;

namespace Streaming.Cql.Statements;

/// <summary>
/// A query the cluster has prepared (PREPARE, section 4.1.5): its id, bind variables and result columns.
/// <see cref="Bind"/> serializes values by the variables' column types.
/// </summary>
public sealed class PreparedStatement
{
    internal PreparedStatement(string query, string? keyspace, PreparedResult result)
    {
        Query = query;
        Keyspace = keyspace;
        Id = result.Id.ToArray();
        Variables = result.Variables.Variables;
        PartitionKeyIndexes = result.Variables.PartitionKeyIndexes;
        ResultMetadata = result.ResultMetadata;
    }

    public string Query { get; }

    /// <summary>The session keyspace when it was prepared (unqualified table names resolve in it).</summary>
    public string? Keyspace { get; }

    /// <summary>The server's id for this query (the same on every node for the same query and keyspace).</summary>
    public byte[] Id { get; }

    /// <summary>The bind markers in order, with their names and column types.</summary>
    public IReadOnlyList<ColumnSpec> Variables { get; }

    /// <summary>Indexes of the markers forming the partition key (for token-aware routing).</summary>
    public IReadOnlyList<ushort> PartitionKeyIndexes { get; }

    /// <summary>Columns a SELECT returns; empty for other statements.</summary>
    public RowsMetadata ResultMetadata { get; }

    /// <summary>
    /// Binds one value per marker, in order. Null writes null; <see cref="CqlUnset.Value"/> leaves the column as is.
    /// A wrong count or a value the column type cannot take throws <see cref="ArgumentException"/> naming the variable.
    /// </summary>
    public BoundStatement Bind(params object?[] values)
    {
        values ??= [null];
        if (values.Length != Variables.Count)
        {
            throw new ArgumentException($"'{Query}' has {Variables.Count} bind variable(s) ({string.Join(", ", Variables.Select(v => v.Name))}); got {values.Length} value(s).", nameof(values));
        }

        var encoded = new CqlValue[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            try
            {
                encoded[i] = CqlValueCodec.EncodeValue(values[i], Variables[i].Type);
            }
            catch (ArgumentException e)
            {
                throw new ArgumentException($"Bind variable {i} '{Variables[i].Name}' ({Variables[i].Type}) of '{Query}': {e.Message}", nameof(values), e);
            }
        }

        return new BoundStatement(this, encoded);
    }

    public override string ToString() => Query;
}
