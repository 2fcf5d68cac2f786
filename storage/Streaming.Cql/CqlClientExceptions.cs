namespace Streaming.Cql;

/// <summary>
/// The connection a request used closed or failed before its answer arrived. <see cref="RequestMayHaveBeenSent"/>
/// tells whether the server may have executed it, which decides whether a non-idempotent statement may be retried.
/// </summary>
public sealed class CqlConnectionClosedException(string host, bool requestMayHaveBeenSent, string reason, Exception? innerException = null)
    : CqlException($"Connection to {host} closed: {reason}", innerException)
{
    /// <summary>The host (host:port) the connection went to.</summary>
    public string Host { get; } = host;

    /// <summary>False only when the request had not been written to the socket.</summary>
    public bool RequestMayHaveBeenSent { get; } = requestMayHaveBeenSent;
}

/// <summary>
/// No answer within the request timeout. The request's stream id stays reserved until its late answer arrives,
/// so that answer cannot be taken for another request's.
/// </summary>
public sealed class CqlRequestTimeoutException(string host, TimeSpan timeout, bool requestMayHaveBeenSent)
    : CqlException(requestMayHaveBeenSent
        ? $"{host} did not answer within {timeout.TotalMilliseconds:F0} ms."
        : $"No stream id on the connection to {host} became free within {timeout.TotalMilliseconds:F0} ms (all in flight); the request was not sent.")
{
    public string Host { get; } = host;

    public TimeSpan Timeout { get; } = timeout;

    /// <summary>False when the request waited for a free stream id and was never written.</summary>
    public bool RequestMayHaveBeenSent { get; } = requestMayHaveBeenSent;
}

/// <summary>Every host in the query plan was down or failed; <see cref="Errors"/> says why, per host.</summary>
public sealed class NoHostAvailableException(IReadOnlyDictionary<string, Exception> errors)
    : CqlException(Describe(errors))
{
    /// <summary>The last error seen per host (host:port).</summary>
    public IReadOnlyDictionary<string, Exception> Errors { get; } = errors;

    private static string Describe(IReadOnlyDictionary<string, Exception> errors) => errors.Count == 0
        ? "No host is available: none is configured or up."
        : "No host is available: " + string.Join("; ", errors.Select(e => $"{e.Key}: {e.Value.Message}"));
}

/// <summary>The server asked for authentication the client cannot give (no credentials, or the exchange broke).</summary>
public sealed class CqlAuthenticationException(string message) : CqlException(message);
