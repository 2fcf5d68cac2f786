using Streaming.Cql.Protocol;

namespace Streaming.Cql.Types;

/// <summary>
/// CQL values to and from bytes (native protocol v4, section 6). Decoded .NET types: text/ascii string, int int,
/// bigint/counter long, timestamp DateTimeOffset (UTC), uuid/timeuuid Guid, boolean bool, blob byte[], double
/// double, float float, inet IPAddress, smallint short, tinyint sbyte, varint BigInteger, decimal decimal, date
/// DateOnly, time TimeOnly, list List&lt;object?&gt;, set HashSet&lt;object&gt;, map Dictionary&lt;object, object?&gt;,
/// tuple object?[], UDT Dictionary&lt;string, object?&gt;.
/// </summary>
public static class CqlValueCodec
{
    /// <summary>Serializes a non-null value as <paramref name="type"/>; a wrong .NET type throws <see cref="ArgumentException"/>.</summary>
    public static byte[] Encode(object value, CqlType type)
    {
        ArgumentNullException.ThrowIfNull(value);
        return type.Code is CqlTypeCode.List or CqlTypeCode.Set or CqlTypeCode.Map or CqlTypeCode.Tuple or CqlTypeCode.Udt
            ? CollectionCodec.Encode(value, type)
            : ScalarCodec.Encode(value, type);
    }

    /// <summary>A [value] for a bound variable: null stays null, <see cref="CqlUnset"/> becomes "not set".</summary>
    public static CqlValue EncodeValue(object? value, CqlType type) => value switch
    {
        null => CqlValue.Null,
        CqlUnset => CqlValue.Unset,
        _ => CqlValue.Of(Encode(value, type)),
    };

    /// <summary>A [value] for a simple statement, its CQL type inferred from the .NET type.</summary>
    public static CqlValue EncodeInferred(object? value) => value switch
    {
        null => CqlValue.Null,
        CqlUnset => CqlValue.Unset,
        _ => CqlValue.Of(Encode(value, CqlTypeInference.Infer(value))),
    };

    /// <summary>
    /// Deserializes <paramref name="bytes"/> as <paramref name="type"/>. Empty bytes of a type that is neither text nor
    /// blob are the legacy "empty" value and read as null.
    /// </summary>
    public static object? Decode(ReadOnlyMemory<byte> bytes, CqlType type)
    {
        if (bytes.IsEmpty && type.Code is not (CqlTypeCode.Varchar or CqlTypeCode.Ascii or CqlTypeCode.Blob or CqlTypeCode.Custom))
        {
            return null;
        }

        return type.Code is CqlTypeCode.List or CqlTypeCode.Set or CqlTypeCode.Map or CqlTypeCode.Tuple or CqlTypeCode.Udt
            ? CollectionCodec.Decode(bytes, type)
            : ScalarCodec.Decode(bytes.Span, type);
    }

    /// <summary>Casts a decoded value, naming <paramref name="what"/> (a column or element) when the type is wrong.</summary>
    internal static T Cast<T>(object? value, string what) => value switch
    {
        T typed => typed,
        null when default(T) is null => default!,
        null => throw new InvalidCastException($"{what} is null; a {typeof(T).Name} cannot hold null (check IsNull first or ask for {typeof(T).Name}?)."),
        _ => throw new InvalidCastException($"{what} holds a {value.GetType().Name}, not a {typeof(T).Name}."),
    };
}
