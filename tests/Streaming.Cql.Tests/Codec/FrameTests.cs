using Streaming.Cql.Protocol;
using Streaming.Cql.Tests.Support;

namespace Streaming.Cql.Tests.Codec;

public class FrameTests
{
    [Fact]
    public void request_header_is_version_flags_stream_opcode_length()
    {
        Hex.Equal("04 00 00 05 05 00 00 00 00", FrameCodec.EncodeRequest(5, new OptionsRequest()));
        var startup = FrameCodec.EncodeRequest(300, new StartupRequest(new Dictionary<string, string> { ["CQL_VERSION"] = "3.0.0" }));
        Hex.Equal("04 00 01 2C 01 00 00 00 16 | 00 01 00 0B " + Hex.Utf8("CQL_VERSION") + " 00 05 " + Hex.Utf8("3.0.0"), startup);
    }

    [Fact]
    public void response_envelope_carries_tracing_id_then_warnings_before_the_body()
    {
        var tracing = Guid.Parse("00112233-4455-6677-8899-aabbccddeeff");
        var layout = "84 0A 00 07 08 00 00 00 1C | 00112233445566778899AABBCCDDEEFF | 00 01 00 04 " + Hex.Utf8("warn") + " | 00 00 00 01";
        var encoded = FrameCodec.EncodeResponse(new ResponseFrame(7, new VoidResult()) { TracingId = tracing, Warnings = ["warn"] });
        Hex.Equal(layout, encoded);

        var bytes = Hex.Bytes(layout);
        var decoded = FrameCodec.DecodeResponse(new RawFrame(FrameHeader.Read(bytes), bytes.AsMemory(FrameHeader.Size)));
        Assert.Equal(7, decoded.Stream);
        Assert.Equal(tracing, decoded.TracingId);
        Assert.Equal(["warn"], decoded.Warnings);
        Assert.IsType<VoidResult>(decoded.Message);
    }

    [Fact]
    public void request_custom_payload_precedes_the_body_and_is_decoded_by_a_server()
    {
        var frame = new RequestFrame(1, new PrepareRequest("q")) { CustomPayload = new Dictionary<string, ReadOnlyMemory<byte>?> { ["k"] = new byte[] { 9 } } };
        var bytes = FrameCodec.EncodeRequest(frame);
        Hex.Equal("04 04 00 01 09 00 00 00 0F | 00 01 00 01 6B 00 00 00 01 09 | 00 00 00 01 71", bytes);
        var decoded = FrameCodec.DecodeRequest(new RawFrame(FrameHeader.Read(bytes), bytes.AsMemory(FrameHeader.Size)));
        Assert.Equal("q", Assert.IsType<PrepareRequest>(decoded.Message).Query);
        Assert.Equal([9], decoded.CustomPayload!["k"]!.Value.ToArray());
    }

    [Fact]
    public async Task a_frame_of_another_protocol_version_is_reported_with_its_version_and_stream()
    {
        var fromV3Server = new FrameReader(new MemoryStream(Hex.Bytes("83 00 00 02 02 00 00 00 00")), readsResponses: true);
        var error = await Assert.ThrowsAsync<CqlProtocolVersionException>(async () => await fromV3Server.ReadAsync(CancellationToken.None));
        Assert.Equal(3, error.Version);
        Assert.Equal(2, error.Stream);
        Assert.Contains("v3", error.Message, StringComparison.Ordinal);

        var fromV5Client = new FrameReader(new MemoryStream(Hex.Bytes("05 00 00 09 05 00 00 00 00")), readsResponses: false);
        var v5 = await Assert.ThrowsAsync<CqlProtocolVersionException>(async () => await fromV5Client.ReadAsync(CancellationToken.None));
        Assert.Equal((5, (short)9), (v5.Version, v5.Stream));

        // What a server answers on that stream: the driver retries with a lower version on seeing these words.
        var answer = v5.ToErrorResponse();
        Assert.Equal(CqlErrorCode.ProtocolError, answer.Code);
        Assert.Contains("unsupported protocol version (5)", answer.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task a_body_over_256_MB_is_rejected_from_the_header_alone()
    {
        // Only the header is on the stream: reading the body would end in EndOfStreamException instead.
        var reader = new FrameReader(new MemoryStream(Hex.Bytes("84 00 00 00 08 10 00 00 01")), readsResponses: true);
        var error = await Assert.ThrowsAsync<CqlProtocolException>(async () => await reader.ReadAsync(CancellationToken.None));
        Assert.Contains("256 MB", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task frames_are_read_whole_and_a_clean_end_of_stream_is_null()
    {
        var bytes = FrameCodec.EncodeResponse(3, new ReadyResponse()).Concat(FrameCodec.EncodeResponse(4, new SetKeyspaceResult("ks"))).ToArray();
        var reader = new FrameReader(new MemoryStream(bytes), readsResponses: true);
        var first = await reader.ReadAsync(CancellationToken.None);
        var second = await reader.ReadAsync(CancellationToken.None);
        Assert.Equal((3, CqlOpcode.Ready, 0), (first!.Value.Header.Stream, first.Value.Header.Opcode, first.Value.Body.Length));
        Assert.Equal("ks", Assert.IsType<SetKeyspaceResult>(FrameCodec.DecodeResponse(second!.Value).Message).Keyspace);
        Assert.Null(await reader.ReadAsync(CancellationToken.None));
    }

    [Fact]
    public async Task a_stream_cut_inside_a_frame_is_an_end_of_stream_error()
    {
        var reader = new FrameReader(new MemoryStream(Hex.Bytes("84 00 00 00 08 00 00 00 04 00 00")), readsResponses: true);
        await Assert.ThrowsAsync<EndOfStreamException>(async () => await reader.ReadAsync(CancellationToken.None));
    }

    [Fact]
    public void a_request_read_as_a_response_or_a_compressed_frame_is_a_protocol_error()
    {
        var request = Hex.Bytes("04 00 00 01 05 00 00 00 00");
        Assert.Throws<CqlProtocolException>(() => FrameCodec.DecodeResponse(new RawFrame(FrameHeader.Read(request), ReadOnlyMemory<byte>.Empty)));
        var compressed = Hex.Bytes("84 01 00 01 02 00 00 00 00");
        Assert.Throws<CqlProtocolException>(() => FrameCodec.DecodeResponse(new RawFrame(FrameHeader.Read(compressed), ReadOnlyMemory<byte>.Empty)));
    }

    [Fact]
    public void a_request_opcode_in_a_response_frame_is_a_protocol_error()
    {
        var reader = new CqlReader(ReadOnlyMemory<byte>.Empty);
        Assert.Throws<CqlProtocolException>(() => MessageDecoder.DecodeResponse(CqlOpcode.Query, reader));
        Assert.Throws<CqlProtocolException>(() => MessageDecoder.DecodeRequest(CqlOpcode.Result, reader));
    }
}
