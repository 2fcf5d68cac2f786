namespace Streaming.Cql.Protocol;

/// <summary>A frame as it came off the wire: the validated header and the undecoded body.</summary>
public readonly record struct RawFrame(FrameHeader Header, ReadOnlyMemory<byte> Body);

/// <summary>
/// A decoded request frame. <see cref="TracingRequested"/> is the request's tracing flag (section 2.2);
/// <see cref="CustomPayload"/> is the [bytes map] a QUERY/PREPARE/EXECUTE/BATCH may carry.
/// </summary>
public sealed record RequestFrame(short Stream, CqlMessage Message)
{
    public bool TracingRequested { get; init; }

    public IReadOnlyDictionary<string, ReadOnlyMemory<byte>?>? CustomPayload { get; init; }
}

/// <summary>
/// A decoded response frame with the envelope fields a response body may start with (section 2.2):
/// tracing id, warnings, custom payload.
/// </summary>
public sealed record ResponseFrame(short Stream, CqlMessage Message)
{
    public Guid? TracingId { get; init; }

    public IReadOnlyList<string> Warnings { get; init; } = [];

    public IReadOnlyDictionary<string, ReadOnlyMemory<byte>?>? CustomPayload { get; init; }
}
