namespace Streaming.Cql.Protocol;

/// <summary>
/// One message body (section 4). Every message encodes itself; <see cref="MessageDecoder"/> decodes by opcode,
/// so the same types serve a client (encode requests, decode responses) and a server (the reverse).
/// </summary>
public abstract record CqlMessage
{
    /// <summary>The frame opcode this body travels under.</summary>
    public abstract CqlOpcode Opcode { get; }

    /// <summary>Writes the body (without frame header or envelope extras).</summary>
    public abstract void Encode(CqlWriter writer);
}
