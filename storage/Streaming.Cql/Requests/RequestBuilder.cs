using Streaming.Cql.Protocol;
using Streaming.Cql.Statements;

namespace Streaming.Cql.Requests;

/// <summary>
/// Turns a statement into its protocol message (QUERY, EXECUTE or BATCH) with the options' defaults filled in.
/// Built once per execution, so every retry of it carries the same client timestamp.
/// </summary>
internal sealed class RequestBuilder(CqlClientOptions options, TimestampGenerator timestamps)
{
    public CqlMessage Build(Statement statement, int? pageSize, byte[]? pagingState)
    {
        var consistency = statement.Consistency ?? options.DefaultConsistency;
        var serial = statement.SerialConsistency ?? options.DefaultSerialConsistency;
        var timestamp = statement.Timestamp ?? (options.ClientTimestamps ? timestamps.Next() : null);
        QueryParameters Parameters(IReadOnlyList<CqlValue> values, IReadOnlyList<string>? names) => new()
        {
            Consistency = consistency,
            Values = values,
            ValueNames = names,
            PageSize = pageSize ?? statement.PageSize ?? options.PageSize,
            PagingState = pagingState ?? statement.PagingState,
            SerialConsistency = serial,
            DefaultTimestamp = timestamp,
        };

        return statement switch
        {
            SimpleStatement simple => new QueryRequest(simple.Query, Parameters(simple.Values, simple.ValueNames)),
            BoundStatement bound => new ExecuteRequest(bound.Prepared.Id, Parameters(bound.Values, null)),
            BatchStatement { Statements.Count: 0 } => throw new ArgumentException("A batch needs at least one statement."),
            BatchStatement batch => new BatchRequest(batch.Type, batch.Statements.Select(ToBatchQuery).ToList(), consistency)
            {
                SerialConsistency = serial,
                DefaultTimestamp = timestamp,
            },
            _ => throw new ArgumentException($"Cannot execute a {statement.GetType().Name}."),
        };
    }

    /// <summary>Whether a retry policy may treat the statement as idempotent.</summary>
    public bool IsIdempotent(Statement statement) => statement switch
    {
        { IsIdempotent: { } explicitly } => explicitly,
        BatchStatement batch => batch.Type != BatchType.Counter && batch.Statements.All(IsIdempotent),
        _ => options.DefaultIdempotence,
    };

    private static BatchQuery ToBatchQuery(Statement statement) => statement switch
    {
        SimpleStatement simple => BatchQuery.Simple(simple.Query, simple.Values),
        BoundStatement bound => BatchQuery.Prepared(bound.Prepared.Id, bound.Values),
        _ => throw new ArgumentException($"A batch cannot hold a {statement.GetType().Name}."),
    };
}
