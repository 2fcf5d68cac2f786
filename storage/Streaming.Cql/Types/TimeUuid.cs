using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Streaming.Cql.Types;

/// <summary>
/// Version-1 (time-based) UUIDs for CQL timeuuid columns (RFC 4122 section 4.2): a 60-bit count of 100 ns
/// intervals since 1582-10-15, the version nibble 1, the variant bits 10, then a clock sequence and node.
/// The clock sequence and node are random per UUID (node multicast bit set, as RFC 4122 section 4.5 asks of
/// random nodes), so UUIDs made for the same instant on many machines still differ.
/// </summary>
public static class TimeUuid
{
    private static readonly long GregorianEpochTicks = new DateTimeOffset(1582, 10, 15, 0, 0, 0, TimeSpan.Zero).UtcTicks;

    /// <summary>A timeuuid for now.</summary>
    public static Guid Create() => Create(DateTimeOffset.UtcNow);

    /// <summary>A timeuuid for <paramref name="timestamp"/> (kept to its full 100 ns precision).</summary>
    public static Guid Create(DateTimeOffset timestamp)
    {
        Span<byte> bytes = stackalloc byte[16];
        WriteTimestamp(bytes, timestamp);
        RandomNumberGenerator.Fill(bytes[8..]);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        bytes[10] |= 0x01;
        return UuidBytes.FromNetworkOrder(bytes);
    }

    /// <summary>The instant a version-1 UUID carries.</summary>
    public static DateTimeOffset GetTimestamp(Guid timeUuid)
    {
        Span<byte> bytes = stackalloc byte[16];
        EnsureVersion1(timeUuid).TryWriteBytes(bytes, bigEndian: true, out _);
        var low = BinaryPrimitives.ReadUInt32BigEndian(bytes);
        var mid = BinaryPrimitives.ReadUInt16BigEndian(bytes[4..]);
        var high = BinaryPrimitives.ReadUInt16BigEndian(bytes[6..]) & 0x0FFF;
        var ticks = ((long)high << 48) | ((long)mid << 32) | low;
        return new DateTimeOffset(GregorianEpochTicks + ticks, TimeSpan.Zero);
    }

    internal static Guid EnsureVersion1(Guid value)
    {
        if (value.Version != 1)
        {
            throw new ArgumentException($"A CQL timeuuid must be a version-1 UUID; {value} is version {value.Version}. Use TimeUuid.Create.");
        }

        return value;
    }

    private static void WriteTimestamp(Span<byte> bytes, DateTimeOffset timestamp)
    {
        var ticks = timestamp.UtcTicks - GregorianEpochTicks;
        if (ticks is < 0 or >= 1L << 60)
        {
            throw new ArgumentOutOfRangeException(nameof(timestamp), timestamp, "A version-1 UUID holds instants from 1582-10-15 for 2^60 × 100 ns.");
        }

        BinaryPrimitives.WriteUInt32BigEndian(bytes, (uint)ticks);
        BinaryPrimitives.WriteUInt16BigEndian(bytes[4..], (ushort)(ticks >> 32));
        BinaryPrimitives.WriteUInt16BigEndian(bytes[6..], (ushort)(((ticks >> 48) & 0x0FFF) | 0x1000));
    }
}
