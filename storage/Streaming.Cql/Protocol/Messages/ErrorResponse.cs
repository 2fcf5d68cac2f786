namespace Streaming.Cql.Protocol;

/// <summary>ERROR (4.2.1): an [int] code, a [string] message, then the code's extra fields (section 9).</summary>
public sealed record ErrorResponse(CqlErrorCode Code, string Message, ErrorDetails? Details = null) : CqlMessage
{
    public override CqlOpcode Opcode => CqlOpcode.Error;

    public override void Encode(CqlWriter writer)
    {
        var expected = ErrorDetails.ExpectedFor(Code);
        if (expected != Details?.GetType())
        {
            throw new ArgumentException($"Error code {Code} carries {expected?.Name ?? "no details"}; got {Details?.GetType().Name ?? "none"}.");
        }

        writer.WriteInt((int)Code);
        writer.WriteString(Message);
        Details?.Encode(writer);
    }

    public static ErrorResponse Decode(CqlReader reader)
    {
        var code = (CqlErrorCode)reader.ReadInt();
        var message = reader.ReadString();
        return new ErrorResponse(code, message, ErrorDetails.Decode(code, reader));
    }
}
