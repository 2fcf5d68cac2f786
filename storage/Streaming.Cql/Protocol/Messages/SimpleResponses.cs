namespace Streaming.Cql.Protocol;

/// <summary>READY (4.2.2): empty body.</summary>
public sealed record ReadyResponse : CqlMessage
{
    public override CqlOpcode Opcode => CqlOpcode.Ready;

    public override void Encode(CqlWriter writer)
    {
    }
}

/// <summary>AUTHENTICATE (4.2.3): the server's IAuthenticator class name as a [string].</summary>
public sealed record AuthenticateResponse(string Authenticator) : CqlMessage
{
    /// <summary>Cassandra's username/password authenticator, which speaks SASL PLAIN.</summary>
    public const string PasswordAuthenticator = "org.apache.cassandra.auth.PasswordAuthenticator";

    public override CqlOpcode Opcode => CqlOpcode.Authenticate;

    public override void Encode(CqlWriter writer) => writer.WriteString(Authenticator);

    public static AuthenticateResponse Decode(CqlReader reader) => new(reader.ReadString());
}

/// <summary>SUPPORTED (4.2.4): a [string multimap] of startup options and their allowed values.</summary>
public sealed record SupportedResponse(IReadOnlyDictionary<string, IReadOnlyList<string>> Options) : CqlMessage
{
    public override CqlOpcode Opcode => CqlOpcode.Supported;

    public override void Encode(CqlWriter writer) => writer.WriteStringMultimap(Options);

    public static SupportedResponse Decode(CqlReader reader) => new(reader.ReadStringMultimap());
}

/// <summary>AUTH_CHALLENGE (4.2.7): a SASL [bytes] token to answer with AUTH_RESPONSE.</summary>
public sealed record AuthChallengeResponse(ReadOnlyMemory<byte>? Token) : CqlMessage
{
    public override CqlOpcode Opcode => CqlOpcode.AuthChallenge;

    public override void Encode(CqlWriter writer) => writer.WriteBytes(Token);

    public static AuthChallengeResponse Decode(CqlReader reader) => new(reader.ReadBytes());
}

/// <summary>AUTH_SUCCESS (4.2.8): a final [bytes] token; the connection is ready.</summary>
public sealed record AuthSuccessResponse(ReadOnlyMemory<byte>? Token) : CqlMessage
{
    public override CqlOpcode Opcode => CqlOpcode.AuthSuccess;

    public override void Encode(CqlWriter writer) => writer.WriteBytes(Token);

    public static AuthSuccessResponse Decode(CqlReader reader) => new(reader.ReadBytes());
}
