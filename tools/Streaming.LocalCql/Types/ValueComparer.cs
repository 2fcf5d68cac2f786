using System.Buffers.Binary;
using Streaming.Cql.Protocol;

namespace Streaming.LocalCql.Types;

/// <summary>
/// Orders encoded values the way Cassandra's types do: integers and timestamps signed, floating point by Java's
/// Double.compare, text/ascii/blob/inet as unsigned bytes, uuid by version then time (for version 1) then unsigned
/// bytes, timeuuid by time then the remaining bytes signed, frozen collections element by element. An empty value
/// sorts before any other.
/// </summary>
internal static class ValueComparer
{
    public static int Compare(CqlType type, ReadOnlySpan<byte> left, ReadOnlySpan<byte> right)
    {
        if (left.IsEmpty || right.IsEmpty)
        {
            return left.IsEmpty ? (right.IsEmpty ? 0 : -1) : 1;
        }

        return type.Code switch
        {
            CqlTypeCode.Int or CqlTypeCode.Bigint or CqlTypeCode.Timestamp or CqlTypeCode.Smallint or CqlTypeCode.Tinyint
                or CqlTypeCode.Counter => CompareSigned(left, right),
            CqlTypeCode.Double => SortableDouble(left).CompareTo(SortableDouble(right)),
            CqlTypeCode.Float => SortableFloat(left).CompareTo(SortableFloat(right)),
            CqlTypeCode.Uuid => CompareUuid(left, right),
            CqlTypeCode.Timeuuid => CompareTimeUuid(left, right),
            CqlTypeCode.List or CqlTypeCode.Set => CompareElements(left, right, [type.Arguments[0]]),
            CqlTypeCode.Map => CompareElements(left, right, [type.Arguments[0], type.Arguments[1]]),
            _ => left.SequenceCompareTo(right),
        };
    }

    public static bool Equal(CqlType type, ReadOnlySpan<byte> left, ReadOnlySpan<byte> right) => Compare(type, left, right) == 0;

    /// <summary>Big-endian two's complement of equal length: the first byte signed, the rest unsigned.</summary>
    private static int CompareSigned(ReadOnlySpan<byte> left, ReadOnlySpan<byte> right)
    {
        var first = ((sbyte)left[0]).CompareTo((sbyte)right[0]);
        return first != 0 ? first : left[1..].SequenceCompareTo(right[1..]);
    }

    /// <summary>Java's Double.compare as a signed long order: -0.0 before 0.0, NaN after everything.</summary>
    private static long SortableDouble(ReadOnlySpan<byte> bytes)
    {
        var value = BinaryPrimitives.ReadDoubleBigEndian(bytes);
        var bits = BitConverter.DoubleToInt64Bits(double.IsNaN(value) ? double.NaN : value);
        return bits ^ ((bits >> 63) & long.MaxValue);
    }

    private static int SortableFloat(ReadOnlySpan<byte> bytes)
    {
        var value = BinaryPrimitives.ReadSingleBigEndian(bytes);
        var bits = BitConverter.SingleToInt32Bits(float.IsNaN(value) ? float.NaN : value);
        return bits ^ ((bits >> 31) & int.MaxValue);
    }

    private static int CompareUuid(ReadOnlySpan<byte> left, ReadOnlySpan<byte> right)
    {
        var version = TimeUuid.Version(left).CompareTo(TimeUuid.Version(right));
        if (version != 0)
        {
            return version;
        }

        if (TimeUuid.Version(left) == 1)
        {
            var time = TimeUuid.Timestamp(left).CompareTo(TimeUuid.Timestamp(right));
            if (time != 0)
            {
                return time;
            }
        }

        return left.SequenceCompareTo(right);
    }

    private static int CompareTimeUuid(ReadOnlySpan<byte> left, ReadOnlySpan<byte> right)
    {
        var time = TimeUuid.Timestamp(left).CompareTo(TimeUuid.Timestamp(right));
        if (time != 0)
        {
            return time;
        }

        for (var i = 8; i < 16; i++)
        {
            var c = ((sbyte)left[i]).CompareTo((sbyte)right[i]);
            if (c != 0)
            {
                return c;
            }
        }

        return 0;
    }

    /// <summary>Frozen collections: element by element (alternating key and value types for maps), then by size.</summary>
    private static int CompareElements(ReadOnlySpan<byte> left, ReadOnlySpan<byte> right, CqlType[] elementTypes)
    {
        var a = CollectionCodec.TryDecode(left, elementTypes.Length);
        var b = CollectionCodec.TryDecode(right, elementTypes.Length);
        if (a is null || b is null)
        {
            return left.SequenceCompareTo(right);
        }

        for (var i = 0; i < Math.Min(a.Count, b.Count); i++)
        {
            var c = Compare(elementTypes[i % elementTypes.Length], a[i], b[i]);
            if (c != 0)
            {
                return c;
            }
        }

        return a.Count.CompareTo(b.Count);
    }
}
