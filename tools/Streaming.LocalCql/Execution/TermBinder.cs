using System.Buffers.Binary;
using Streaming.LocalCql.Parsing;
using Streaming.LocalCql.Types;

namespace Streaming.LocalCql.Execution;

/// <summary>Turns a term into the value its receiver gets: the bound value for a marker, the encoded literal otherwise.</summary>
internal static class TermBinder
{
    public static CqlValue Bind(Term term, ColumnSpec receiver, ExecutionContext context)
    {
        if (term is not BindMarkerTerm marker)
        {
            return CqlValue.OfNullable(LiteralEncoder.Encode(term, receiver.Type, receiver.Name, context.Time));
        }

        var value = context.Values[marker.Index];
        if (value.Bytes is { } bytes)
        {
            ValueValidator.Validate(receiver.Type, bytes, receiver.Name);
        }

        return value;
    }

    /// <summary>A value that must be present: null and unset are refused with Cassandra's wording.</summary>
    public static byte[] Required(Term term, ColumnSpec receiver, ExecutionContext context)
    {
        var value = Bind(term, receiver, context);
        return value.Kind switch
        {
            CqlValueKind.Bytes => value.Bytes!,
            CqlValueKind.Unset => throw CqlEngineException.Invalid($"Invalid unset value for column {receiver.Name}"),
            _ => throw CqlEngineException.Invalid($"Invalid null value in condition for column {receiver.Name}"),
        };
    }

    /// <summary>An int parameter such as LIMIT or TTL, or null when it is absent, null or unset.</summary>
    public static int? OptionalInt(Term? term, ColumnSpec receiver, ExecutionContext context) =>
        term is null ? null : Bind(term, receiver, context).Bytes is { Length: 4 } bytes ? BinaryPrimitives.ReadInt32BigEndian(bytes) : null;

    /// <summary>A bigint parameter such as USING TIMESTAMP, or null when it is absent, null or unset.</summary>
    public static long? OptionalLong(Term? term, ColumnSpec receiver, ExecutionContext context) =>
        term is null ? null : Bind(term, receiver, context).Bytes is { Length: 8 } bytes ? BinaryPrimitives.ReadInt64BigEndian(bytes) : null;
}
