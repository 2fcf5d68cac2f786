namespace Streaming.Cql.Protocol;

/// <summary>
/// Whole frames: header + envelope extras + message body. Client side: <c>EncodeRequest</c> and
/// <see cref="DecodeResponse"/>; server side: <see cref="DecodeRequest"/> and <c>EncodeResponse</c>.
/// Compression is never negotiated, so a compressed frame is a protocol error.
/// </summary>
public static class FrameCodec
{
    /// <summary>Offset of the stream id inside an encoded frame, for callers that assign ids after encoding.</summary>
    public const int StreamOffset = 2;

    public static byte[] EncodeRequest(RequestFrame frame)
    {
        var flags = (frame.TracingRequested ? FrameFlags.Tracing : 0) | (frame.CustomPayload is not null ? FrameFlags.CustomPayload : 0);
        return Encode(FrameHeader.RequestVersion, flags, frame.Stream, frame.Message, writer =>
        {
            if (frame.CustomPayload is { } payload)
            {
                writer.WriteBytesMap(payload);
            }
        });
    }

    /// <summary>Encodes <paramref name="message"/> as a plain request frame on <paramref name="stream"/>.</summary>
    public static byte[] EncodeRequest(short stream, CqlMessage message) => EncodeRequest(new RequestFrame(stream, message));

    public static byte[] EncodeResponse(ResponseFrame frame)
    {
        var flags = (frame.TracingId is not null ? FrameFlags.Tracing : 0)
            | (frame.Warnings.Count > 0 ? FrameFlags.Warning : 0)
            | (frame.CustomPayload is not null ? FrameFlags.CustomPayload : 0);
        return Encode(FrameHeader.ResponseVersion, flags, frame.Stream, frame.Message, writer =>
        {
            if (frame.TracingId is { } tracing)
            {
                writer.WriteUuid(tracing);
            }

            if (frame.Warnings.Count > 0)
            {
                writer.WriteStringList(frame.Warnings);
            }

            if (frame.CustomPayload is { } payload)
            {
                writer.WriteBytesMap(payload);
            }
        });
    }

    /// <summary>Encodes <paramref name="message"/> as a plain response frame on <paramref name="stream"/>.</summary>
    public static byte[] EncodeResponse(short stream, CqlMessage message) => EncodeResponse(new ResponseFrame(stream, message));

    public static RequestFrame DecodeRequest(RawFrame raw)
    {
        CheckDirection(raw.Header, expectResponse: false);
        var reader = new CqlReader(raw.Body);
        var payload = raw.Header.Flags.HasFlag(FrameFlags.CustomPayload) ? reader.ReadBytesMap() : null;
        return new RequestFrame(raw.Header.Stream, MessageDecoder.DecodeRequest(raw.Header.Opcode, reader))
        {
            TracingRequested = raw.Header.Flags.HasFlag(FrameFlags.Tracing),
            CustomPayload = payload,
        };
    }

    public static ResponseFrame DecodeResponse(RawFrame raw)
    {
        CheckDirection(raw.Header, expectResponse: true);
        var reader = new CqlReader(raw.Body);
        var flags = raw.Header.Flags;
        Guid? tracing = flags.HasFlag(FrameFlags.Tracing) ? reader.ReadUuid() : null;
        var warnings = flags.HasFlag(FrameFlags.Warning) ? reader.ReadStringList() : [];
        var payload = flags.HasFlag(FrameFlags.CustomPayload) ? reader.ReadBytesMap() : null;
        return new ResponseFrame(raw.Header.Stream, MessageDecoder.DecodeResponse(raw.Header.Opcode, reader))
        {
            TracingId = tracing,
            Warnings = warnings,
            CustomPayload = payload,
        };
    }

    private static byte[] Encode(byte version, FrameFlags flags, short stream, CqlMessage message, Action<CqlWriter> writeEnvelope)
    {
        var writer = new CqlWriter();
        writer.Reserve(FrameHeader.Size);
        writeEnvelope(writer);
        message.Encode(writer);
        var bodyLength = writer.Length - FrameHeader.Size;
        if (bodyLength > FrameHeader.MaxBodyLength)
        {
            throw new CqlProtocolException($"A {message.Opcode} body of {bodyLength} bytes exceeds the protocol's 256 MB frame limit.");
        }

        var frame = writer.ToArray();
        new FrameHeader(version, flags, stream, message.Opcode, bodyLength).WriteTo(frame);
        return frame;
    }

    private static void CheckDirection(FrameHeader header, bool expectResponse)
    {
        header.Validate(expectResponse);
        if (header.Flags.HasFlag(FrameFlags.Compression))
        {
            throw new CqlProtocolException("The frame is compressed, but no compression was negotiated in STARTUP.");
        }
    }
}
