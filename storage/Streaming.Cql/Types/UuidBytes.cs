namespace Streaming.Cql.Types;

/// <summary>
/// uuid/timeuuid are 16 bytes in RFC 4122 (network) order. <see cref="Guid.ToByteArray()"/> stores the first three
/// fields little-endian, so conversions go through the big-endian Guid APIs instead.
/// </summary>
internal static class UuidBytes
{
    public static byte[] ToNetworkOrder(Guid value)
    {
        var bytes = new byte[16];
        value.TryWriteBytes(bytes, bigEndian: true, out _);
        return bytes;
    }

    public static Guid FromNetworkOrder(ReadOnlySpan<byte> bytes) => new(bytes, bigEndian: true);
}
