namespace Streaming.Cql.Protocol;

/// <summary>STARTUP (4.1.1): a [string map] of options; CQL_VERSION is mandatory.</summary>
public sealed record StartupRequest(IReadOnlyDictionary<string, string> Options) : CqlMessage
{
    public const string CqlVersionKey = "CQL_VERSION";
    public const string CompressionKey = "COMPRESSION";

    public override CqlOpcode Opcode => CqlOpcode.Startup;

    public override void Encode(CqlWriter writer) => writer.WriteStringMap(Options);

    public static StartupRequest Decode(CqlReader reader) => new(reader.ReadStringMap());
}

/// <summary>AUTH_RESPONSE (4.1.2): one SASL [bytes] token.</summary>
public sealed record AuthResponseRequest(ReadOnlyMemory<byte>? Token) : CqlMessage
{
    public override CqlOpcode Opcode => CqlOpcode.AuthResponse;

    public override void Encode(CqlWriter writer) => writer.WriteBytes(Token);

    public static AuthResponseRequest Decode(CqlReader reader) => new(reader.ReadBytes());
}

/// <summary>OPTIONS (4.1.3): empty body; answered by SUPPORTED.</summary>
public sealed record OptionsRequest : CqlMessage
{
    public override CqlOpcode Opcode => CqlOpcode.Options;

    public override void Encode(CqlWriter writer)
    {
    }
}

/// <summary>PREPARE (4.1.5): the query as a [long string].</summary>
public sealed record PrepareRequest(string Query) : CqlMessage
{
    public override CqlOpcode Opcode => CqlOpcode.Prepare;

    public override void Encode(CqlWriter writer) => writer.WriteLongString(Query);

    public static PrepareRequest Decode(CqlReader reader) => new(reader.ReadLongString());
}

/// <summary>REGISTER (4.1.8): the event types wanted, as a [string list]; answered by READY.</summary>
public sealed record RegisterRequest(IReadOnlyList<string> EventTypes) : CqlMessage
{
    public override CqlOpcode Opcode => CqlOpcode.Register;

    public override void Encode(CqlWriter writer) => writer.WriteStringList(EventTypes);

    public static RegisterRequest Decode(CqlReader reader) => new(reader.ReadStringList());
}
