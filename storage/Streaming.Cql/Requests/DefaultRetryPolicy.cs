using Streaming.Cql.Protocol;

namespace Streaming.Cql.Requests;

/// <summary>
/// The DataStax drivers' defaults, made explicit:
/// <list type="bullet">
/// <item>Read_timeout: retry once on the same host when enough replicas answered but the one asked for data did
/// not (a read repair makes the retry likely to succeed); otherwise rethrow.</item>
/// <item>Write_timeout: retry once on the same host, idempotent statements only, for write types SIMPLE,
/// UNLOGGED_BATCH and BATCH_LOG (nothing was applied or re-applying is harmless). BATCH means the batch log holds
/// the batch and the server will finish it; COUNTER and CAS are never safe to replay.</item>
/// <item>Unavailable: retry once on the next host (the coordinator sent nothing; another may see more replicas).</item>
/// <item>Is_bootstrapping: next host (the coordinator executed nothing).</item>
/// <item>Overloaded, Server_error, Truncate_error, client timeout, dropped connection: next host for idempotent
/// statements; for others only when the request was provably never sent.</item>
/// <item>Everything else (syntax, invalid, unauthorized, read/write failure, ...): rethrow.</item>
/// </list>
/// </summary>
public sealed class DefaultRetryPolicy : IRetryPolicy
{
    public static DefaultRetryPolicy Instance { get; } = new();

    public RetryDecision Decide(RetryContext context) => context.Error switch
    {
        CqlServerException { Details: ReadTimeoutDetails read } =>
            context.RetryCount == 0 && read.Received >= read.BlockFor && !read.DataPresent ? RetryDecision.RetrySameHost : RetryDecision.Rethrow,
        CqlServerException { Details: WriteTimeoutDetails write } =>
            context.RetryCount == 0 && context.IsIdempotent && write.WriteType is "SIMPLE" or "UNLOGGED_BATCH" or "BATCH_LOG"
                ? RetryDecision.RetrySameHost
                : RetryDecision.Rethrow,
        CqlServerException { Code: CqlErrorCode.Unavailable } => context.RetryCount == 0 ? RetryDecision.RetryNextHost : RetryDecision.Rethrow,
        CqlServerException { Code: CqlErrorCode.IsBootstrapping } => RetryDecision.RetryNextHost,
        CqlServerException { Code: CqlErrorCode.Overloaded or CqlErrorCode.ServerError or CqlErrorCode.TruncateError } => NextHostIfIdempotent(context, sent: true),
        CqlRequestTimeoutException timeout => NextHostIfIdempotent(context, timeout.RequestMayHaveBeenSent),
        CqlConnectionClosedException closed => NextHostIfIdempotent(context, closed.RequestMayHaveBeenSent),
        _ => RetryDecision.Rethrow,
    };

    private static RetryDecision NextHostIfIdempotent(RetryContext context, bool sent)
        => context.IsIdempotent || !sent ? RetryDecision.RetryNextHost : RetryDecision.Rethrow;
}
