using System.Buffers.Binary;
using System.Net;
using System.Text;
using Streaming.LocalCql;

namespace Streaming.LocalCql.Tests;

/// <summary>Values encoded as a client binds them (native protocol v4 section 6), and decoders for result cells.</summary>
internal static class Bytes
{
    public static CqlValue Text(string value) => CqlValue.Of(Encoding.UTF8.GetBytes(value));

    public static CqlValue Int(int value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(bytes, value);
        return CqlValue.Of(bytes);
    }

    public static CqlValue BigInt(long value)
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteInt64BigEndian(bytes, value);
        return CqlValue.Of(bytes);
    }

    public static CqlValue Timestamp(DateTimeOffset value) => BigInt(value.ToUnixTimeMilliseconds());

    public static CqlValue Uuid(Guid value) => CqlValue.Of(value.ToByteArray(bigEndian: true));

    public static CqlValue TextMap(params (string Key, string Value)[] entries)
    {
        var elements = entries.SelectMany(e => new[] { e.Key, e.Value }).Select(Encoding.UTF8.GetBytes).ToList();
        var bytes = new List<byte>();
        bytes.AddRange(BigEndian(entries.Length));
        foreach (var element in elements)
        {
            bytes.AddRange(BigEndian(element.Length));
            bytes.AddRange(element);
        }

        return CqlValue.Of([.. bytes]);
    }

    public static string AsText(byte[]? cell) => Encoding.UTF8.GetString(cell ?? throw new InvalidOperationException("null cell"));

    public static int AsInt(byte[]? cell) => BinaryPrimitives.ReadInt32BigEndian(cell ?? throw new InvalidOperationException("null cell"));

    public static long AsLong(byte[]? cell) => BinaryPrimitives.ReadInt64BigEndian(cell ?? throw new InvalidOperationException("null cell"));

    public static bool AsBool(byte[]? cell) => (cell ?? throw new InvalidOperationException("null cell"))[0] != 0;

    public static Guid AsUuid(byte[]? cell) => new(cell ?? throw new InvalidOperationException("null cell"), bigEndian: true);

    public static IPAddress AsInet(byte[]? cell) => new(cell ?? throw new InvalidOperationException("null cell"));

    /// <summary>The text elements of a set&lt;text&gt; or list&lt;text&gt; cell.</summary>
    public static List<string> AsTextCollection(byte[]? cell) => [.. Elements(cell, 1).Select(Encoding.UTF8.GetString)];

    /// <summary>The entries of a map&lt;text, text&gt; cell, in stored order.</summary>
    public static List<KeyValuePair<string, string>> AsTextMap(byte[]? cell) =>
        [.. Elements(cell, 2).Chunk(2).Select(p => new KeyValuePair<string, string>(Encoding.UTF8.GetString(p[0]), Encoding.UTF8.GetString(p[1])))];

    private static List<byte[]> Elements(byte[]? cell, int perEntry)
    {
        var bytes = cell ?? throw new InvalidOperationException("null cell");
        var count = BinaryPrimitives.ReadInt32BigEndian(bytes) * perEntry;
        var items = new List<byte[]>();
        var offset = 4;
        for (var i = 0; i < count; i++)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(offset));
            items.Add(bytes[(offset + 4)..(offset + 4 + length)]);
            offset += 4 + length;
        }

        return items;
    }

    private static byte[] BigEndian(int value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(bytes, value);
        return bytes;
    }
}
