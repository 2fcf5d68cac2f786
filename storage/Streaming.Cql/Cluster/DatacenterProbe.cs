using Streaming.Cql.Connections;
using Streaming.Cql.Protocol;
using Streaming.Cql.Types;

namespace Streaming.Cql.Cluster;

/// <summary>Reads a node's own data_center from system.local over a fresh connection.</summary>
internal static class DatacenterProbe
{
    public static async Task<string?> ReadAsync(CqlConnection connection, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var query = new QueryRequest("SELECT data_center FROM system.local", new QueryParameters { Consistency = CqlConsistency.One });
        var answer = await connection.SendAsync(query, timeout, cancellationToken).ConfigureAwait(false);
        return answer.Message switch
        {
            RowsResult { Rows.Count: > 0 } rows when rows.Rows[0][0] is { } cell => (string?)CqlValueCodec.Decode(cell, CqlType.Text),
            RowsResult => null,
            ErrorResponse error => throw CqlServerException.From(error, connection.Host),
            var other => throw new CqlProtocolException($"{connection.Host} answered a system.local query with {other.Opcode}."),
        };
    }
}
