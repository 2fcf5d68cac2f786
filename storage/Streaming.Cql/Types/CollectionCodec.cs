using System.Collections;
using System.Runtime.CompilerServices;
using Streaming.Cql.Protocol;

namespace Streaming.Cql.Types;

/// <summary>
/// list, set and map (v4: an [int] count, then each element, key and value as [int]-length-prefixed bytes;
/// section 6.11-6.13), tuple and UDT (a [bytes] per component or field, null allowed; sections 6.20 and 7).
/// </summary>
internal static class CollectionCodec
{
    public static byte[] Encode(object value, CqlType type)
    {
        var writer = new CqlWriter();
        switch (type.Code)
        {
            case CqlTypeCode.List or CqlTypeCode.Set:
                var elements = value is IEnumerable e and not string and not byte[] ? e.Cast<object?>().ToList() : throw ScalarCodec.Mismatch(value, type, "an IEnumerable");
                writer.WriteInt(elements.Count);
                foreach (var element in elements)
                {
                    writer.WriteBytes(EncodeElement(element, type.Arguments[0], type));
                }

                break;
            case CqlTypeCode.Map:
                var map = value as IDictionary ?? throw ScalarCodec.Mismatch(value, type, "an IDictionary");
                writer.WriteInt(map.Count);
                foreach (DictionaryEntry entry in map)
                {
                    writer.WriteBytes(EncodeElement(entry.Key, type.Arguments[0], type));
                    writer.WriteBytes(EncodeElement(entry.Value, type.Arguments[1], type));
                }

                break;
            case CqlTypeCode.Tuple:
                var components = value switch
                {
                    ITuple tuple => Enumerable.Range(0, tuple.Length).Select(i => tuple[i]).ToArray(),
                    object?[] array => array,
                    _ => throw ScalarCodec.Mismatch(value, type, "a ValueTuple or object?[]"),
                };
                if (components.Length != type.Arguments.Count)
                {
                    throw new ArgumentException($"CQL {type} has {type.Arguments.Count} components; got {components.Length}.");
                }

                for (var i = 0; i < components.Length; i++)
                {
                    writer.WriteBytes(components[i] is null ? null : CqlValueCodec.Encode(components[i]!, type.Arguments[i]));
                }

                break;
            case CqlTypeCode.Udt:
                var fields = value as IDictionary ?? throw ScalarCodec.Mismatch(value, type, "an IDictionary of field name to value");
                for (var i = 0; i < type.FieldNames.Count; i++)
                {
                    var field = fields.Contains(type.FieldNames[i]) ? fields[type.FieldNames[i]] : null;
                    writer.WriteBytes(field is null ? null : CqlValueCodec.Encode(field, type.Arguments[i]));
                }

                break;
            default:
                throw new NotSupportedException($"CQL type {type} is not a collection.");
        }

        return writer.ToArray();
    }

    public static object Decode(ReadOnlyMemory<byte> bytes, CqlType type)
    {
        var reader = new CqlReader(bytes);
        switch (type.Code)
        {
            case CqlTypeCode.List:
                return ReadElements(reader, type).ToList();
            case CqlTypeCode.Set:
                return ReadElements(reader, type).Where(e => e is not null).Select(e => e!).ToHashSet();
            case CqlTypeCode.Map:
                var map = new Dictionary<object, object?>();
                for (var count = ReadCount(reader); count > 0; count--)
                {
                    var key = DecodeElement(reader.ReadBytes(), type.Arguments[0]) ?? throw new CqlProtocolException($"A CQL {type} holds a null key.");
                    map[key] = DecodeElement(reader.ReadBytes(), type.Arguments[1]);
                }

                return map;
            case CqlTypeCode.Tuple:
                return type.Arguments.Select(t => reader.Remaining > 0 ? DecodeElement(reader.ReadBytes(), t) : null).ToArray();
            case CqlTypeCode.Udt:
                var udt = new Dictionary<string, object?>(StringComparer.Ordinal);
                for (var i = 0; i < type.FieldNames.Count; i++)
                {
                    // A UDT value may hold fewer fields than its type (fields added later): the rest are null (section 7).
                    udt[type.FieldNames[i]] = reader.Remaining > 0 ? DecodeElement(reader.ReadBytes(), type.Arguments[i]) : null;
                }

                return udt;
            default:
                throw new NotSupportedException($"CQL type {type} is not a collection.");
        }
    }

    /// <summary>A list or set as a typed list, each element cast to <typeparamref name="T"/>.</summary>
    public static List<T> DecodeList<T>(ReadOnlyMemory<byte> bytes, CqlType type, string what)
    {
        if (type.Code is not (CqlTypeCode.List or CqlTypeCode.Set))
        {
            throw new InvalidCastException($"{what} is CQL {type}, not a list or set.");
        }

        return ReadElements(new CqlReader(bytes), type).Select(e => CqlValueCodec.Cast<T>(e, what)).ToList();
    }

    /// <summary>A map as a typed dictionary, keys and values cast to the requested types.</summary>
    public static Dictionary<TKey, TValue> DecodeDictionary<TKey, TValue>(ReadOnlyMemory<byte> bytes, CqlType type, string what)
        where TKey : notnull
    {
        if (type.Code != CqlTypeCode.Map)
        {
            throw new InvalidCastException($"{what} is CQL {type}, not a map.");
        }

        var reader = new CqlReader(bytes);
        var map = new Dictionary<TKey, TValue>();
        for (var count = ReadCount(reader); count > 0; count--)
        {
            var key = CqlValueCodec.Cast<TKey>(DecodeElement(reader.ReadBytes(), type.Arguments[0]), what);
            map[key] = CqlValueCodec.Cast<TValue>(DecodeElement(reader.ReadBytes(), type.Arguments[1]), what);
        }

        return map;
    }

    private static IEnumerable<object?> ReadElements(CqlReader reader, CqlType type)
    {
        var count = ReadCount(reader);
        var elements = new object?[count];
        for (var i = 0; i < count; i++)
        {
            elements[i] = DecodeElement(reader.ReadBytes(), type.Arguments[0]);
        }

        return elements;
    }

    private static int ReadCount(CqlReader reader)
    {
        var count = reader.ReadInt();
        return count >= 0 ? count : throw new CqlProtocolException($"Negative collection size {count}.");
    }

    private static byte[] EncodeElement(object? element, CqlType elementType, CqlType collection)
        => element is null
            ? throw new ArgumentException($"A CQL {collection} cannot hold null.")
            : CqlValueCodec.Encode(element, elementType);

    private static object? DecodeElement(ReadOnlyMemory<byte>? bytes, CqlType type)
        => bytes is { } b ? CqlValueCodec.Decode(b, type) : null;
}
