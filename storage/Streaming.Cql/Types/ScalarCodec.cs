using System.Buffers.Binary;
using System.Net;
using System.Numerics;
using System.Text;
using Streaming.Cql.Protocol;

namespace Streaming.Cql.Types;

/// <summary>
/// Serialization of the non-collection types (native protocol v4, section 6), big-endian. Encoding accepts the
/// .NET types that convert without loss; anything else is an <see cref="ArgumentException"/> naming both types.
/// </summary>
internal static class ScalarCodec
{
    private static readonly DateOnly Epoch = new(1970, 1, 1);

    public static byte[] Encode(object value, CqlType type) => type.Code switch
    {
        CqlTypeCode.Ascii => EncodeAscii(value as string ?? throw Mismatch(value, type, "string")),
        CqlTypeCode.Varchar => Encoding.UTF8.GetBytes(value as string ?? throw Mismatch(value, type, "string")),
        CqlTypeCode.Int => Int32(value switch
        {
            int i => i, short s => s, sbyte b => b, byte b => b, ushort u => u,
            _ => throw Mismatch(value, type, "int"),
        }),
        CqlTypeCode.Bigint or CqlTypeCode.Counter => Int64(value switch
        {
            long l => l, int i => i, short s => s, sbyte b => b, byte b => b, ushort u => u, uint u => u,
            _ => throw Mismatch(value, type, "long"),
        }),
        CqlTypeCode.Timestamp => Int64(value switch
        {
            DateTimeOffset d => d.ToUnixTimeMilliseconds(),
            DateTime d => new DateTimeOffset(d.Kind == DateTimeKind.Local ? d.ToUniversalTime() : DateTime.SpecifyKind(d, DateTimeKind.Utc)).ToUnixTimeMilliseconds(),
            _ => throw Mismatch(value, type, "DateTimeOffset or DateTime"),
        }),
        CqlTypeCode.Uuid => UuidBytes.ToNetworkOrder(value is Guid g ? g : throw Mismatch(value, type, "Guid")),
        CqlTypeCode.Timeuuid => UuidBytes.ToNetworkOrder(value is Guid t ? TimeUuid.EnsureVersion1(t) : throw Mismatch(value, type, "Guid (version 1)")),
        CqlTypeCode.Boolean => [value is bool b ? (b ? (byte)1 : (byte)0) : throw Mismatch(value, type, "bool")],
        CqlTypeCode.Blob or CqlTypeCode.Custom => value switch
        {
            byte[] bytes => bytes,
            ReadOnlyMemory<byte> memory => memory.ToArray(),
            Memory<byte> memory => memory.ToArray(),
            ArraySegment<byte> segment => segment.ToArray(),
            _ => throw Mismatch(value, type, "byte[] or ReadOnlyMemory<byte>"),
        },
        CqlTypeCode.Double => Double(value switch { double d => d, float f => f, _ => throw Mismatch(value, type, "double") }),
        CqlTypeCode.Float => Float(value is float f ? f : throw Mismatch(value, type, "float")),
        CqlTypeCode.Inet => (value as IPAddress ?? throw Mismatch(value, type, "IPAddress")).GetAddressBytes(),
        CqlTypeCode.Smallint => Int16(value switch { short s => s, sbyte b => b, byte b => b, _ => throw Mismatch(value, type, "short") }),
        CqlTypeCode.Tinyint => [unchecked((byte)(value is sbyte b ? b : throw Mismatch(value, type, "sbyte")))],
        CqlTypeCode.Varint => Varint(value switch
        {
            BigInteger big => big, long l => l, int i => i, short s => s, sbyte b => b, byte b => b, ulong u => u, uint u => u,
            _ => throw Mismatch(value, type, "BigInteger"),
        }),
        CqlTypeCode.Decimal => EncodeDecimal(value is decimal m ? m : throw Mismatch(value, type, "decimal")),
        CqlTypeCode.Date => UInt32(value is DateOnly d ? unchecked((uint)(d.DayNumber - Epoch.DayNumber + int.MinValue)) : throw Mismatch(value, type, "DateOnly")),
        CqlTypeCode.Time => Int64(value switch
        {
            TimeOnly t => t.Ticks * 100,
            TimeSpan s when s >= TimeSpan.Zero && s < TimeSpan.FromDays(1) => s.Ticks * 100,
            _ => throw Mismatch(value, type, "TimeOnly or a TimeSpan within one day"),
        }),
        _ => throw new NotSupportedException($"CQL type {type} is not a scalar."),
    };

    /// <summary>Decodes a non-empty scalar; the caller maps empty non-text values to null (legacy "empty" values).</summary>
    public static object Decode(ReadOnlySpan<byte> bytes, CqlType type) => type.Code switch
    {
        CqlTypeCode.Ascii or CqlTypeCode.Varchar => Encoding.UTF8.GetString(bytes),
        CqlTypeCode.Int => BinaryPrimitives.ReadInt32BigEndian(Exactly(bytes, 4, type)),
        CqlTypeCode.Bigint or CqlTypeCode.Counter => BinaryPrimitives.ReadInt64BigEndian(Exactly(bytes, 8, type)),
        CqlTypeCode.Timestamp => DateTimeOffset.FromUnixTimeMilliseconds(BinaryPrimitives.ReadInt64BigEndian(Exactly(bytes, 8, type))),
        CqlTypeCode.Uuid or CqlTypeCode.Timeuuid => UuidBytes.FromNetworkOrder(Exactly(bytes, 16, type)),
        CqlTypeCode.Boolean => Exactly(bytes, 1, type)[0] != 0,
        CqlTypeCode.Blob or CqlTypeCode.Custom => bytes.ToArray(),
        CqlTypeCode.Double => BinaryPrimitives.ReadDoubleBigEndian(Exactly(bytes, 8, type)),
        CqlTypeCode.Float => BinaryPrimitives.ReadSingleBigEndian(Exactly(bytes, 4, type)),
        CqlTypeCode.Inet => bytes.Length is 4 or 16 ? new IPAddress(bytes) : throw Malformed(type, bytes.Length),
        CqlTypeCode.Smallint => BinaryPrimitives.ReadInt16BigEndian(Exactly(bytes, 2, type)),
        CqlTypeCode.Tinyint => unchecked((sbyte)Exactly(bytes, 1, type)[0]),
        CqlTypeCode.Varint => new BigInteger(bytes, isUnsigned: false, isBigEndian: true),
        CqlTypeCode.Decimal => DecodeDecimal(bytes, type),
        CqlTypeCode.Date => Epoch.AddDays(unchecked((int)(BinaryPrimitives.ReadUInt32BigEndian(Exactly(bytes, 4, type)) - 2147483648u))),
        CqlTypeCode.Time => new TimeOnly(BinaryPrimitives.ReadInt64BigEndian(Exactly(bytes, 8, type)) / 100),
        _ => throw new NotSupportedException($"CQL type {type} is not a scalar."),
    };

    /// <summary>The wrong-.NET-type error every encoder throws.</summary>
    public static ArgumentException Mismatch(object value, CqlType type, string expected)
        => new($"A {value.GetType().Name} cannot be written as CQL {type}; expected {expected}.");

    private static byte[] EncodeAscii(string text)
    {
        foreach (var c in text)
        {
            if (c > 127)
            {
                throw new ArgumentException($"CQL ascii takes characters 0..127 only; '{c}' (U+{(int)c:X4}) is outside.");
            }
        }

        return Encoding.ASCII.GetBytes(text);
    }

    private static byte[] Int16(short value)
    {
        var bytes = new byte[2];
        BinaryPrimitives.WriteInt16BigEndian(bytes, value);
        return bytes;
    }

    private static byte[] Int32(int value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(bytes, value);
        return bytes;
    }

    private static byte[] UInt32(uint value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        return bytes;
    }

    private static byte[] Int64(long value)
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteInt64BigEndian(bytes, value);
        return bytes;
    }

    private static byte[] Double(double value)
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteDoubleBigEndian(bytes, value);
        return bytes;
    }

    private static byte[] Float(float value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteSingleBigEndian(bytes, value);
        return bytes;
    }

    // Two's complement, big-endian, shortest form: 128 is 00 80, -129 is FF 7F (section 6.23).
    private static byte[] Varint(BigInteger value) => value.ToByteArray(isUnsigned: false, isBigEndian: true);

    // <scale:int><unscaled:varint>, value = unscaled * 10^-scale (section 6.6).
    private static byte[] EncodeDecimal(decimal value)
    {
        var bits = decimal.GetBits(value);
        var unscaled = (new BigInteger((uint)bits[2]) << 64) | (new BigInteger((uint)bits[1]) << 32) | (uint)bits[0];
        if (value < 0)
        {
            unscaled = -unscaled;
        }

        var digits = Varint(unscaled);
        var bytes = new byte[4 + digits.Length];
        BinaryPrimitives.WriteInt32BigEndian(bytes, value.Scale);
        digits.CopyTo(bytes, 4);
        return bytes;
    }

    private static decimal DecodeDecimal(ReadOnlySpan<byte> bytes, CqlType type)
    {
        if (bytes.Length < 5)
        {
            throw Malformed(type, bytes.Length);
        }

        var scale = BinaryPrimitives.ReadInt32BigEndian(bytes);
        var unscaled = new BigInteger(bytes[4..], isUnsigned: false, isBigEndian: true);
        if (scale < 0)
        {
            unscaled *= BigInteger.Pow(10, -scale);
            scale = 0;
        }

        var magnitude = BigInteger.Abs(unscaled);
        if (scale > 28 || magnitude.GetBitLength() > 96)
        {
            throw new OverflowException($"CQL decimal {unscaled}E-{scale} does not fit System.Decimal.");
        }

        var raw = magnitude.ToByteArray(isUnsigned: true, isBigEndian: false);
        Array.Resize(ref raw, 12);
        return new decimal(BitConverter.ToInt32(raw, 0), BitConverter.ToInt32(raw, 4), BitConverter.ToInt32(raw, 8), unscaled.Sign < 0, (byte)scale);
    }

    private static ReadOnlySpan<byte> Exactly(ReadOnlySpan<byte> bytes, int size, CqlType type)
        => bytes.Length == size ? bytes : throw Malformed(type, bytes.Length);

    private static CqlProtocolException Malformed(CqlType type, int length)
        => new($"A CQL {type} value of {length} byte(s) is malformed.");
}
