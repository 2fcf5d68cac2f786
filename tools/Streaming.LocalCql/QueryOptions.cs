namespace Streaming.LocalCql;

/// <summary>
/// The parts of a QUERY/EXECUTE/BATCH frame's query parameters the engine uses (native protocol v4, section 4.1.4).
/// Consistency levels are the protocol's [consistency] codes (0x0001 ONE ...): accepted and recorded, never enforced,
/// because the local server holds one copy of the data.
/// </summary>
/// <param name="PageSize">Rows per page; null or not positive: all rows in one result.</param>
/// <param name="PagingState">The paging state of the previous page's result, to resume after its last row.</param>
/// <param name="Consistency">The [consistency] code of the request.</param>
/// <param name="SerialConsistency">The serial [consistency] code, when the frame carried one.</param>
/// <param name="DefaultTimestamp">The client-side write timestamp in microseconds (flag 0x20), used when the statement has no USING TIMESTAMP.</param>
public sealed record QueryOptions(
    int? PageSize = null,
    byte[]? PagingState = null,
    ushort Consistency = QueryOptions.ConsistencyOne,
    ushort? SerialConsistency = null,
    long? DefaultTimestamp = null)
{
    /// <summary>The [consistency] code of ONE.</summary>
    public const ushort ConsistencyOne = 0x0001;

    /// <summary>All rows, consistency ONE, server-side timestamps.</summary>
    public static QueryOptions Default { get; } = new();
}
