using Streaming.Cql.Protocol;
using Streaming.LocalCql.Parsing;

namespace Streaming.LocalCql.Types;

/// <summary>The native functions allowed as values: now(), uuid(), currentTimestamp(), toTimestamp(now()).</summary>
internal static class TimeFunctions
{
    public static byte[] Evaluate(FunctionTerm function, CqlType type, string receiver, TimeProvider time)
    {
        var (name, code) = (function.Name, type.Code);
        var value = name switch
        {
            "now" when function.Arguments.Count == 0 && code is CqlTypeCode.Timeuuid or CqlTypeCode.Uuid => TimeUuid.Create(time.GetUtcNow()),
            "uuid" when function.Arguments.Count == 0 && code == CqlTypeCode.Uuid => Guid.NewGuid().ToByteArray(bigEndian: true),
            "currenttimestamp" when function.Arguments.Count == 0 && code == CqlTypeCode.Timestamp => Millis(time.GetUtcNow()),
            "totimestamp" or "tounixtimestamp" when function.Arguments is [FunctionTerm { Name: "now", Arguments.Count: 0 }]
                && code is CqlTypeCode.Timestamp or CqlTypeCode.Bigint => Millis(time.GetUtcNow()),
            "now" or "uuid" or "currenttimestamp" or "totimestamp" or "tounixtimestamp" =>
                throw CqlEngineException.Invalid($"Type error: {name}() cannot be passed as argument {receiver} of type {type}"),
            _ => throw CqlEngineException.Invalid($"Unknown function {name} called"),
        };
        return value;
    }

    private static byte[] Millis(DateTimeOffset time) => LiteralEncoder.Long(time.ToUnixTimeMilliseconds());
}
