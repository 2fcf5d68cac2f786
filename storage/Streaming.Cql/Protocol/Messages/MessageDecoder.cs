namespace Streaming.Cql.Protocol;

/// <summary>Decodes a message body by opcode: requests for a server, responses for a client.</summary>
public static class MessageDecoder
{
    public static CqlMessage DecodeRequest(CqlOpcode opcode, CqlReader reader) => opcode switch
    {
        CqlOpcode.Startup => StartupRequest.Decode(reader),
        CqlOpcode.AuthResponse => AuthResponseRequest.Decode(reader),
        CqlOpcode.Options => new OptionsRequest(),
        CqlOpcode.Query => QueryRequest.Decode(reader),
        CqlOpcode.Prepare => PrepareRequest.Decode(reader),
        CqlOpcode.Execute => ExecuteRequest.Decode(reader),
        CqlOpcode.Batch => BatchRequest.Decode(reader),
        CqlOpcode.Register => RegisterRequest.Decode(reader),
        _ => throw new CqlProtocolException($"Opcode {Describe(opcode)} is not a request."),
    };

    public static CqlMessage DecodeResponse(CqlOpcode opcode, CqlReader reader) => opcode switch
    {
        CqlOpcode.Error => ErrorResponse.Decode(reader),
        CqlOpcode.Ready => new ReadyResponse(),
        CqlOpcode.Authenticate => AuthenticateResponse.Decode(reader),
        CqlOpcode.Supported => SupportedResponse.Decode(reader),
        CqlOpcode.Result => ResultResponse.Decode(reader),
        CqlOpcode.Event => EventResponse.Decode(reader),
        CqlOpcode.AuthChallenge => AuthChallengeResponse.Decode(reader),
        CqlOpcode.AuthSuccess => AuthSuccessResponse.Decode(reader),
        _ => throw new CqlProtocolException($"Opcode {Describe(opcode)} is not a response."),
    };

    private static string Describe(CqlOpcode opcode) => Enum.IsDefined(opcode) ? opcode.ToString().ToUpperInvariant() : $"0x{(byte)opcode:X2}";
}
