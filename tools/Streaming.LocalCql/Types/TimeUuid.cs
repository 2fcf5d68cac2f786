using System.Buffers.Binary;

namespace Streaming.LocalCql.Types;

/// <summary>
/// Version 1 (time-based) UUIDs as Cassandra's timeuuid: a 60-bit count of 100 ns intervals since 1582-10-15 spread over
/// time_low, time_mid and time_hi (RFC 4122 section 4.1.4), then a clock sequence and node.
/// </summary>
internal static class TimeUuid
{
    private static readonly long GregorianOffsetTicks = new DateTime(1582, 10, 15, 0, 0, 0, DateTimeKind.Utc).Ticks;

    /// <summary>A timeuuid for <paramref name="time"/> with random clock sequence and node, in network byte order.</summary>
    public static byte[] Create(DateTimeOffset time)
    {
        var timestamp = time.UtcTicks - GregorianOffsetTicks;
        var bytes = new byte[16];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, (uint)timestamp);
        BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(4), (ushort)(timestamp >> 32));
        BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(6), (ushort)(((timestamp >> 48) & 0x0FFF) | 0x1000));
        Random.Shared.NextBytes(bytes.AsSpan(8));
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return bytes;
    }

    /// <summary>The 60-bit timestamp of a version 1 UUID.</summary>
    public static long Timestamp(ReadOnlySpan<byte> uuid) =>
        ((long)(BinaryPrimitives.ReadUInt16BigEndian(uuid[6..]) & 0x0FFF) << 48)
        | ((long)BinaryPrimitives.ReadUInt16BigEndian(uuid[4..]) << 32)
        | BinaryPrimitives.ReadUInt32BigEndian(uuid);

    public static int Version(ReadOnlySpan<byte> uuid) => uuid[6] >> 4;
}
