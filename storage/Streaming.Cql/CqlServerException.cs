using Streaming.Cql.Protocol;

namespace Streaming.Cql;

/// <summary>
/// A server ERROR frame: its <see cref="Code"/>, the server's <see cref="ServerMessage"/> and the code's extra fields
/// in <see cref="Details"/> (e.g. <see cref="UnavailableDetails"/>, <see cref="WriteTimeoutDetails"/>).
/// </summary>
public sealed class CqlServerException(CqlErrorCode code, string serverMessage, ErrorDetails? details, string host)
    : CqlException($"{host} answered {code} (0x{(int)code:X4}): {serverMessage}")
{
    public CqlErrorCode Code { get; } = code;

    public string ServerMessage { get; } = serverMessage;

    /// <summary>The extra fields of section 9 for codes that have them, else null.</summary>
    public ErrorDetails? Details { get; } = details;

    /// <summary>The coordinator (host:port) that answered.</summary>
    public string Host { get; } = host;

    internal static CqlServerException From(ErrorResponse error, string host) => new(error.Code, error.Message, error.Details, host);
}
