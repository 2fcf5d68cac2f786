using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Text;
using Streaming.Cql.Protocol;
using Streaming.LocalCql.Parsing;

namespace Streaming.LocalCql.Types;

/// <summary>
/// Encodes constants written in query text to the bytes a client would bind for the receiving column (native protocol
/// v4, section 6), so literal and bound writes store identical cells. Map keys and set elements are sorted and
/// de-duplicated by the element type's order, as Cassandra stores them.
/// </summary>
internal static class LiteralEncoder
{
    /// <summary>The bytes of <paramref name="term"/> for a receiver of <paramref name="type"/>; null for the null literal.</summary>
    public static byte[]? Encode(Term term, CqlType type, string receiver, TimeProvider time) => term switch
    {
        LiteralTerm { Kind: LiteralKind.Null } => null,
        LiteralTerm literal => Constant(literal, type, receiver),
        MapLiteralTerm map => Map(map, type, receiver, time),
        SequenceLiteralTerm sequence => Sequence(sequence, type, receiver, time),
        FunctionTerm function => TimeFunctions.Evaluate(function, type, receiver, time),
        BindMarkerTerm => throw CqlEngineException.Unsupported("A bind marker inside a collection literal"),
        _ => throw new ArgumentOutOfRangeException(nameof(term)),
    };

    private static byte[] Constant(LiteralTerm literal, CqlType type, string receiver)
    {
        var encoded = (literal.Kind, type.Code) switch
        {
            (LiteralKind.String, CqlTypeCode.Varchar) => Encoding.UTF8.GetBytes(literal.Text),
            (LiteralKind.String, CqlTypeCode.Ascii) when literal.Text.All(char.IsAscii) => Encoding.ASCII.GetBytes(literal.Text),
            (LiteralKind.String, CqlTypeCode.Timestamp) => Long(TimestampText.ParseMillis(literal.Text, receiver)),
            (LiteralKind.String, CqlTypeCode.Inet) when IPAddress.TryParse(literal.Text, out var address) => address.GetAddressBytes(),
            (LiteralKind.Integer, _) => Integer(literal.Text, type.Code),
            (LiteralKind.Float, CqlTypeCode.Double) => Double(literal.Text),
            (LiteralKind.Float, CqlTypeCode.Float) => Float(literal.Text),
            (LiteralKind.Uuid, CqlTypeCode.Uuid or CqlTypeCode.Timeuuid) => Guid.Parse(literal.Text).ToByteArray(bigEndian: true),
            (LiteralKind.Hex, CqlTypeCode.Blob) when literal.Text.Length % 2 == 0 => Convert.FromHexString(literal.Text),
            (LiteralKind.Boolean, CqlTypeCode.Boolean) => [literal.Text == "true" ? (byte)1 : (byte)0],
            _ => null,
        };
        if (encoded is null)
        {
            throw CqlEngineException.Invalid($"Invalid {literal.Kind.ToString().ToUpperInvariant()} constant ({literal.Text}) for \"{receiver}\" of type {type}");
        }

        ValueValidator.Validate(type, encoded, receiver);
        return encoded;
    }

    /// <summary>An integer constant for an integral, timestamp or floating-point receiver, range-checked.</summary>
    private static byte[]? Integer(string text, CqlTypeCode code)
    {
        if (!long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            return code is CqlTypeCode.Double or CqlTypeCode.Float ? Double(text) : null;
        }

        return code switch
        {
            CqlTypeCode.Int when value is >= int.MinValue and <= int.MaxValue => Int((int)value),
            CqlTypeCode.Smallint when value is >= short.MinValue and <= short.MaxValue => [(byte)(value >> 8), (byte)value],
            CqlTypeCode.Tinyint when value is >= sbyte.MinValue and <= sbyte.MaxValue => [(byte)value],
            CqlTypeCode.Bigint or CqlTypeCode.Timestamp or CqlTypeCode.Counter => Long(value),
            CqlTypeCode.Double => Double(text),
            CqlTypeCode.Float => Float(text),
            _ => null,
        };
    }

    public static byte[] Int(int value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(bytes, value);
        return bytes;
    }

    public static byte[] Long(long value)
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteInt64BigEndian(bytes, value);
        return bytes;
    }

    private static byte[] Double(string text)
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteDoubleBigEndian(bytes, double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture));
        return bytes;
    }

    private static byte[] Float(string text)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteSingleBigEndian(bytes, float.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture));
        return bytes;
    }

    private static byte[] Map(MapLiteralTerm map, CqlType type, string receiver, TimeProvider time)
    {
        if (map.Entries.Count == 0 && type.Code == CqlTypeCode.Set)
        {
            return CollectionCodec.EncodeSequence([]);
        }

        if (type.Code != CqlTypeCode.Map)
        {
            throw CqlEngineException.Invalid($"Invalid map literal for {receiver} of type {type}");
        }

        var (keyType, valueType) = (type.Arguments[0], type.Arguments[1]);
        var entries = map.Entries
            .Select(e => new KeyValuePair<byte[], byte[]>(Element(e.Key, keyType, receiver, time), Element(e.Value, valueType, receiver, time)))
            .ToList();
        return CollectionCodec.EncodeMap(SortedDistinct(entries, e => e.Key, keyType));
    }

    private static byte[] Sequence(SequenceLiteralTerm sequence, CqlType type, string receiver, TimeProvider time)
    {
        var expected = sequence.IsList ? CqlTypeCode.List : CqlTypeCode.Set;
        if (type.Code != expected)
        {
            throw CqlEngineException.Invalid($"Invalid {(sequence.IsList ? "list" : "set")} literal for {receiver} of type {type}");
        }

        var elementType = type.Arguments[0];
        var items = sequence.Items.Select(i => Element(i, elementType, receiver, time)).ToList();
        return CollectionCodec.EncodeSequence(sequence.IsList ? items : SortedDistinct(items, i => i, elementType));
    }

    private static byte[] Element(Term term, CqlType type, string receiver, TimeProvider time) =>
        Encode(term, type, receiver, time) ?? throw CqlEngineException.Invalid($"null is not supported inside collections ({receiver})");

    /// <summary>Sorted by key and de-duplicated, the last duplicate winning, as Cassandra stores map keys and set elements.</summary>
    private static List<T> SortedDistinct<T>(List<T> items, Func<T, byte[]> key, CqlType keyType)
    {
        var sorted = new List<T>();
        foreach (var item in items)
        {
            var index = sorted.FindIndex(s => ValueComparer.Equal(keyType, key(s), key(item)));
            if (index >= 0)
            {
                sorted[index] = item;
            }
            else
            {
                sorted.Add(item);
            }
        }

        sorted.Sort((a, b) => ValueComparer.Compare(keyType, key(a), key(b)));
        return sorted;
    }
}
