using Streaming.Cql;
using Streaming.Cql.Protocol;

namespace Streaming.LocalCql;

/// <summary>
/// A statement failed with a protocol error: the front end answers with an ERROR message carrying <see cref="Code"/>,
/// <see cref="Exception.Message"/> and, for codes that have them, the <see cref="Details"/> (the codec's own types,
/// so the front end encodes them as they are).
/// </summary>
public sealed class CqlEngineException : Exception
{
    /// <summary>An error with a code, a message and the code's details (null for codes without any).</summary>
    public CqlEngineException(CqlErrorCode code, string message, ErrorDetails? details = null)
        : base(message)
    {
        Code = code;
        Details = details;
    }

    /// <summary>The error code of section 9.</summary>
    public CqlErrorCode Code { get; }

    /// <summary>The code-specific body that follows the message, or null.</summary>
    public ErrorDetails? Details { get; }

    /// <summary>0x2000 with <paramref name="message"/>.</summary>
    public static CqlEngineException Syntax(string message) => new(CqlErrorCode.SyntaxError, message);

    /// <summary>0x2200 with <paramref name="message"/>.</summary>
    public static CqlEngineException Invalid(string message) => new(CqlErrorCode.Invalid, message);

    /// <summary>0x2200 naming a feature the local server does not have.</summary>
    public static CqlEngineException Unsupported(string feature) =>
        new(CqlErrorCode.Invalid, $"{feature} is not supported by the local CQL server");

    /// <summary>0x1000 Unavailable, as a coordinator answers when too few replicas are alive.</summary>
    public static CqlEngineException Unavailable(CqlConsistency consistency, int required, int alive) =>
        new(CqlErrorCode.Unavailable, "Cannot achieve consistency level", new UnavailableDetails(consistency, required, alive));

    /// <summary>0x1100 WriteTimeout; <paramref name="writeType"/> is the protocol's string (SIMPLE, BATCH, BATCH_LOG, UNLOGGED_BATCH, COUNTER, CAS, VIEW, CDC).</summary>
    public static CqlEngineException WriteTimeout(CqlConsistency consistency, int received, int blockFor, string writeType) =>
        new(CqlErrorCode.WriteTimeout, "Operation timed out - received only " + received + " responses.",
            new WriteTimeoutDetails(consistency, received, blockFor, writeType));

    /// <summary>0x1200 ReadTimeout.</summary>
    public static CqlEngineException ReadTimeout(CqlConsistency consistency, int received, int blockFor, bool dataPresent) =>
        new(CqlErrorCode.ReadTimeout, "Operation timed out - received only " + received + " responses.",
            new ReadTimeoutDetails(consistency, received, blockFor, dataPresent));

    /// <summary>0x1001 Overloaded.</summary>
    public static CqlEngineException Overloaded() => new(CqlErrorCode.Overloaded, "Server is overloaded");

    /// <summary>0x0000 ServerError.</summary>
    public static CqlEngineException ServerError(string message = "Injected server error") => new(CqlErrorCode.ServerError, message);
}
