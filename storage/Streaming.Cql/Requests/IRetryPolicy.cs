using Streaming.Cql.Statements;

namespace Streaming.Cql.Requests;

/// <summary>What to do after an attempt failed.</summary>
public enum RetryDecision
{
    /// <summary>Give the error to the caller.</summary>
    Rethrow,

    /// <summary>Try again on the host that failed.</summary>
    RetrySameHost,

    /// <summary>Try the next host of the query plan.</summary>
    RetryNextHost,
}

/// <summary>
/// One failed attempt: the statement, the error (a <see cref="CqlServerException"/>, a
/// <see cref="CqlConnectionClosedException"/> or a <see cref="CqlRequestTimeoutException"/>), how many retries were
/// already made for this execution, and whether the statement is idempotent.
/// </summary>
public sealed record RetryContext(Statement Statement, Exception Error, int RetryCount, bool IsIdempotent);

/// <summary>
/// Decides per failed attempt. The session enforces nothing further: a policy must not retry a non-idempotent
/// statement that may have run (a timeout, or a dropped connection after the request was written).
/// </summary>
public interface IRetryPolicy
{
    RetryDecision Decide(RetryContext context);
}
