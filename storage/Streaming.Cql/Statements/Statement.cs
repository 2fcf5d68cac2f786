namespace Streaming.Cql.Statements;

/// <summary>
/// What every statement can set; unset values fall back to <see cref="CqlClientOptions"/>. Set them with object
/// initializers or the fluent <see cref="StatementExtensions"/>. A statement is not changed by executing it, so one
/// instance may be executed many times and concurrently.
/// </summary>
public abstract class Statement
{
    /// <summary>Consistency level; <see cref="CqlClientOptions.DefaultConsistency"/> when null.</summary>
    public CqlConsistency? Consistency { get; set; }

    /// <summary>SERIAL or LOCAL_SERIAL for conditional updates; <see cref="CqlClientOptions.DefaultSerialConsistency"/> when null.</summary>
    public CqlConsistency? SerialConsistency { get; set; }

    /// <summary>Rows per page; <see cref="CqlClientOptions.PageSize"/> when null.</summary>
    public int? PageSize { get; set; }

    /// <summary>Resume from this page (from <see cref="Results.RowSet.PagingState"/> of the same query).</summary>
    public byte[]? PagingState { get; set; }

    /// <summary>How long a host has to answer one attempt; <see cref="CqlClientOptions.RequestTimeout"/> when null.</summary>
    public TimeSpan? Timeout { get; set; }

    /// <summary>
    /// True when running the statement twice has the same effect as once. Only idempotent statements are retried
    /// after they may have reached a server. <see cref="CqlClientOptions.DefaultIdempotence"/> when null.
    /// </summary>
    public bool? IsIdempotent { get; set; }

    /// <summary>Write timestamp in microseconds since the epoch; when null the session's client timestamp (if on) is used.</summary>
    public long? Timestamp { get; set; }
}
