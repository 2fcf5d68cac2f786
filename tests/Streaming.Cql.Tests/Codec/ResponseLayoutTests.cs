using System.Net;
using Streaming.Cql.Protocol;
using Streaming.Cql.Tests.Support;

namespace Streaming.Cql.Tests.Codec;

public class ResponseLayoutTests
{
    private static byte[] Body(CqlMessage message)
    {
        var writer = new CqlWriter();
        message.Encode(writer);
        return writer.ToArray();
    }

    private static ErrorResponse RoundTrip(string layout)
    {
        var decoded = Assert.IsType<ErrorResponse>(MessageDecoder.DecodeResponse(CqlOpcode.Error, new CqlReader(Hex.Bytes(layout))));
        Hex.Equal(layout, Body(decoded));
        return decoded;
    }

    [Fact]
    public void unavailable_carries_consistency_required_and_alive()
    {
        var error = RoundTrip("00 00 10 00 | 00 04 " + Hex.Utf8("down") + " | 00 06 | 00 00 00 02 | 00 00 00 01");
        Assert.Equal((CqlErrorCode.Unavailable, "down"), (error.Code, error.Message));
        Assert.Equal(new UnavailableDetails(CqlConsistency.LocalQuorum, 2, 1), error.Details);
    }

    [Fact]
    public void write_and_read_timeouts_and_failures_carry_their_counts()
    {
        Assert.Equal(new WriteTimeoutDetails(CqlConsistency.LocalQuorum, 1, 2, "BATCH_LOG"),
            RoundTrip("00 00 11 00 00 00 | 00 06 00 00 00 01 00 00 00 02 00 09 " + Hex.Utf8("BATCH_LOG")).Details);
        Assert.Equal(new ReadTimeoutDetails(CqlConsistency.Quorum, 2, 2, false),
            RoundTrip("00 00 12 00 00 00 | 00 04 00 00 00 02 00 00 00 02 00").Details);
        Assert.Equal(new ReadFailureDetails(CqlConsistency.One, 0, 1, 1, true),
            RoundTrip("00 00 13 00 00 00 | 00 01 00 00 00 00 00 00 00 01 00 00 00 01 01").Details);
        Assert.Equal(new WriteFailureDetails(CqlConsistency.All, 1, 3, 2, "SIMPLE"),
            RoundTrip("00 00 15 00 00 00 | 00 05 00 00 00 01 00 00 00 03 00 00 00 02 00 06 " + Hex.Utf8("SIMPLE")).Details);
    }

    [Fact]
    public void function_failure_already_exists_and_unprepared_carry_their_fields()
    {
        var function = Assert.IsType<FunctionFailureDetails>(RoundTrip("00 00 14 00 00 00 | 00 02 6B 73 00 01 66 00 02 00 03 " + Hex.Utf8("int") + " 00 04 " + Hex.Utf8("text")).Details);
        Assert.Equal(("ks", "f"), (function.Keyspace, function.Function));
        Assert.Equal(["int", "text"], function.ArgumentTypes);
        Assert.Equal(new AlreadyExistsDetails("ks", ""), RoundTrip("00 00 24 00 00 00 | 00 02 6B 73 00 00").Details);
        Assert.Equal([0xAB, 0xCD], Assert.IsType<UnpreparedDetails>(RoundTrip("00 00 25 00 00 00 | 00 02 AB CD").Details).Id.ToArray());
    }

    [Theory]
    [InlineData(0x0000)]
    [InlineData(0x000A)]
    [InlineData(0x0100)]
    [InlineData(0x1001)]
    [InlineData(0x1002)]
    [InlineData(0x1003)]
    [InlineData(0x2000)]
    [InlineData(0x2100)]
    [InlineData(0x2200)]
    [InlineData(0x2300)]
    public void codes_without_extra_fields_are_code_and_message(int code)
    {
        var error = RoundTrip($"{code:X8} 00 02 " + Hex.Utf8("no"));
        Assert.Equal(((CqlErrorCode)code, "no", (ErrorDetails?)null), (error.Code, error.Message, error.Details));
    }

    [Fact]
    public void encoding_an_error_with_details_of_another_code_is_refused()
    {
        Assert.Throws<ArgumentException>(() => Body(new ErrorResponse(CqlErrorCode.WriteTimeout, "x", new UnavailableDetails(CqlConsistency.One, 1, 0))));
        Assert.Throws<ArgumentException>(() => Body(new ErrorResponse(CqlErrorCode.Unavailable, "x")));
    }

    [Fact]
    public void authenticate_supported_and_auth_tokens()
    {
        var authenticate = "00 2F " + Hex.Utf8(AuthenticateResponse.PasswordAuthenticator);
        Hex.Equal(authenticate, Body(new AuthenticateResponse(AuthenticateResponse.PasswordAuthenticator)));
        Assert.Equal(AuthenticateResponse.PasswordAuthenticator, Assert.IsType<AuthenticateResponse>(MessageDecoder.DecodeResponse(CqlOpcode.Authenticate, new CqlReader(Hex.Bytes(authenticate)))).Authenticator);

        var supported = new SupportedResponse(new Dictionary<string, IReadOnlyList<string>> { ["CQL_VERSION"] = ["3.4.5"] });
        Assert.Equal(["3.4.5"], SupportedResponse.Decode(new CqlReader(Body(supported))).Options["CQL_VERSION"]);

        Hex.Equal("FF FF FF FF", Body(new AuthSuccessResponse(null)));
        Assert.Equal([1], AuthChallengeResponse.Decode(new CqlReader(Hex.Bytes("00 00 00 01 01"))).Token!.Value.ToArray());
    }

    [Fact]
    public void status_and_schema_change_events()
    {
        var status = "00 0D " + Hex.Utf8("STATUS_CHANGE") + " 00 02 " + Hex.Utf8("UP") + " 04 7F 00 00 01 00 00 23 52";
        var @event = new EventResponse(new StatusChangeEvent("UP", new IPEndPoint(IPAddress.Loopback, 9042)));
        Hex.Equal(status, Body(@event));
        Assert.Equal(@event.Event, EventResponse.Decode(new CqlReader(Hex.Bytes(status))).Event);

        var schema = new EventResponse(new SchemaChangeEvent(new SchemaChange("CREATED", "TYPE", "ks", "addr")));
        Assert.Equal(schema.Event, EventResponse.Decode(new CqlReader(Body(schema))).Event);
    }
}
