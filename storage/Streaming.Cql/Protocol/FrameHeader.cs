using System.Buffers.Binary;

namespace Streaming.Cql.Protocol;

/// <summary>Header flags (native protocol v4, section 2.2).</summary>
[Flags]
public enum FrameFlags : byte
{
    None = 0x00,
    Compression = 0x01,
    Tracing = 0x02,
    CustomPayload = 0x04,
    Warning = 0x08,
}

/// <summary>
/// The 9-byte frame header: version (0x04 request, 0x84 response), flags, a signed [short] stream id, opcode and
/// body length (section 2). <see cref="Version"/> keeps the raw byte so a peer speaking another version can be reported.
/// </summary>
public readonly record struct FrameHeader(byte Version, FrameFlags Flags, short Stream, CqlOpcode Opcode, int BodyLength)
{
    /// <summary>Header size in bytes for protocol v3 and later.</summary>
    public const int Size = 9;

    /// <summary>The only protocol version this library speaks.</summary>
    public const int ProtocolVersion = 4;

    /// <summary>Version byte of a v4 request frame.</summary>
    public const byte RequestVersion = 0x04;

    /// <summary>Version byte of a v4 response frame (direction bit set).</summary>
    public const byte ResponseVersion = 0x84;

    /// <summary>Largest body the spec allows (section 2.5: 256 MB).</summary>
    public const int MaxBodyLength = 256 * 1024 * 1024;

    /// <summary>True when the direction bit marks a server-to-client frame.</summary>
    public bool IsResponse => (Version & 0x80) != 0;

    /// <summary>The protocol version without the direction bit.</summary>
    public int VersionNumber => Version & 0x7F;

    /// <summary>Writes the header into the first 9 bytes of <paramref name="destination"/>.</summary>
    public void WriteTo(Span<byte> destination)
    {
        destination[0] = Version;
        destination[1] = (byte)Flags;
        BinaryPrimitives.WriteInt16BigEndian(destination[2..], Stream);
        destination[4] = (byte)Opcode;
        BinaryPrimitives.WriteInt32BigEndian(destination[5..], BodyLength);
    }

    /// <summary>Reads a header from the first 9 bytes of <paramref name="source"/> without judging its version.</summary>
    public static FrameHeader Read(ReadOnlySpan<byte> source)
    {
        if (source.Length < Size)
        {
            throw new CqlProtocolException($"A frame header is {Size} bytes; got {source.Length}.");
        }

        return new FrameHeader(
            source[0],
            (FrameFlags)source[1],
            BinaryPrimitives.ReadInt16BigEndian(source[2..]),
            (CqlOpcode)source[4],
            BinaryPrimitives.ReadInt32BigEndian(source[5..]));
    }

    /// <summary>
    /// Checks what a peer sent: the direction bit, version 4 and a body length within 0..256 MB. A wrong version
    /// throws <see cref="CqlProtocolVersionException"/> carrying the stream id, so a server can answer on it.
    /// </summary>
    public void Validate(bool expectResponse)
    {
        if (VersionNumber != ProtocolVersion)
        {
            throw new CqlProtocolVersionException(VersionNumber, Stream);
        }

        if (IsResponse != expectResponse)
        {
            throw new CqlProtocolException($"Expected a {(expectResponse ? "response" : "request")} frame but the version byte 0x{Version:X2} marks a {(IsResponse ? "response" : "request")}.");
        }

        if (BodyLength is < 0 or > MaxBodyLength)
        {
            throw new CqlProtocolException($"Frame body length {BodyLength} is outside 0..{MaxBodyLength} (the protocol's 256 MB limit).");
        }
    }
}
