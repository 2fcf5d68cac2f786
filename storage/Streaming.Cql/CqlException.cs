namespace Streaming.Cql;

/// <summary>Base of every exception this library throws for CQL-level failures.</summary>
public class CqlException : Exception
{
    public CqlException(string message)
        : base(message)
    {
    }

    public CqlException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>A frame or body that breaks native protocol v4: truncated, oversized, or of an unknown kind.</summary>
public class CqlProtocolException : CqlException
{
    public CqlProtocolException(string message)
        : base(message)
    {
    }

    public CqlProtocolException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>
/// The peer sent a frame of another protocol version than v4. <see cref="Stream"/> is the frame's stream id so a
/// server can answer with a protocol ERROR on it before closing the connection.
/// </summary>
public sealed class CqlProtocolVersionException(int version, short stream)
    : CqlProtocolException($"The peer speaks native protocol v{version}; this library speaks only v{Protocol.FrameHeader.ProtocolVersion}.")
{
    /// <summary>The version number the peer sent (direction bit removed).</summary>
    public int Version { get; } = version;

    /// <summary>Stream id of the offending frame.</summary>
    public short Stream { get; } = stream;

    /// <summary>
    /// The ERROR a server answers with, on <see cref="Stream"/>, before closing the connection. Drivers look for
    /// "unsupported protocol version" in the message to retry with a lower version, as they do with Cassandra.
    /// </summary>
    public Protocol.ErrorResponse ToErrorResponse() => new(
        Protocol.CqlErrorCode.ProtocolError,
        $"Invalid or unsupported protocol version ({Version}); supported versions are ({Protocol.FrameHeader.ProtocolVersion}/v{Protocol.FrameHeader.ProtocolVersion})");
}
