using System.Buffers.Binary;

namespace Streaming.LocalCql.Types;

/// <summary>
/// Collections in native protocol v4 (section 6: list, map, set): an [int] element count, then each element as an
/// [int] length and its bytes; a map's elements alternate key and value.
/// </summary>
internal static class CollectionCodec
{
    public static byte[] Encode(IReadOnlyList<byte[]> elements, int count)
    {
        var bytes = new byte[4 + elements.Sum(e => 4 + e.Length)];
        BinaryPrimitives.WriteInt32BigEndian(bytes, count);
        var offset = 4;
        foreach (var element in elements)
        {
            BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(offset), element.Length);
            element.CopyTo(bytes, offset + 4);
            offset += 4 + element.Length;
        }

        return bytes;
    }

    /// <summary>A list or set of <paramref name="items"/>.</summary>
    public static byte[] EncodeSequence(IReadOnlyList<byte[]> items) => Encode(items, items.Count);

    /// <summary>A map of <paramref name="entries"/> in the order given.</summary>
    public static byte[] EncodeMap(IReadOnlyList<KeyValuePair<byte[], byte[]>> entries) =>
        Encode([.. entries.SelectMany(e => new[] { e.Key, e.Value })], entries.Count);

    /// <summary>
    /// The elements of an encoded collection (for a map: key, value, key, value ...), or null when the bytes are not a
    /// well-formed collection of <paramref name="perEntry"/> elements per entry.
    /// </summary>
    public static List<byte[]>? TryDecode(ReadOnlySpan<byte> bytes, int perEntry)
    {
        if (bytes.Length < 4)
        {
            return null;
        }

        var count = BinaryPrimitives.ReadInt32BigEndian(bytes);
        if (count < 0 || count > bytes.Length)
        {
            return null;
        }

        var elements = new List<byte[]>(count * perEntry);
        var offset = 4;
        for (var i = 0; i < count * perEntry; i++)
        {
            if (offset + 4 > bytes.Length)
            {
                return null;
            }

            var length = BinaryPrimitives.ReadInt32BigEndian(bytes[offset..]);
            offset += 4;
            if (length < 0 || offset + length > bytes.Length)
            {
                return null;
            }

            elements.Add(bytes.Slice(offset, length).ToArray());
            offset += length;
        }

        return offset == bytes.Length ? elements : null;
    }
}
