using System.Buffers.Binary;
using Streaming.Cql.Protocol;
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
        if (value.Kind == CqlValueKind.Bytes)
        {
            ValueValidator.Validate(receiver.Type, value.Bytes.Span, receiver.Name);
        }

        return value;
    }

    /// <summary>
    /// The bytes a cell stores for <paramref name="value"/>, or null for null (a deletion). Bound values are slices of a
    /// request frame, so the cell gets its own copy instead of keeping the whole frame alive.
    /// </summary>
    public static byte[]? Stored(CqlValue value) => value.Kind == CqlValueKind.Bytes ? value.Bytes.ToArray() : null;

    /// <summary>A value that must be present: null and unset are refused with Cassandra's wording.</summary>
    public static byte[] Required(Term term, ColumnSpec receiver, ExecutionContext context)
    {
        var value = Bind(term, receiver, context);
        return value.Kind switch
        {
            CqlValueKind.Bytes => value.Bytes.ToArray(),
            CqlValueKind.Unset => throw CqlEngineException.Invalid($"Invalid unset value for column {receiver.Name}"),
            _ => throw CqlEngineException.Invalid($"Invalid null value in condition for column {receiver.Name}"),
        };
    }

    /// <summary>An int parameter such as LIMIT or TTL, or null when it is absent, null or unset.</summary>
    public static int? OptionalInt(Term? term, ColumnSpec receiver, ExecutionContext context) =>
        term is null ? null : Bind(term, receiver, context) is { Kind: CqlValueKind.Bytes, Bytes.Length: 4 } value ? BinaryPrimitives.ReadInt32BigEndian(value.Bytes.Span) : null;

    /// <summary>A bigint parameter such as USING TIMESTAMP, or null when it is absent, null or unset.</summary>
    public static long? OptionalLong(Term? term, ColumnSpec receiver, ExecutionContext context) =>
        term is null ? null : Bind(term, receiver, context) is { Kind: CqlValueKind.Bytes, Bytes.Length: 8 } value ? BinaryPrimitives.ReadInt64BigEndian(value.Bytes.Span) : null;
}
