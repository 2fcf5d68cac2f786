using System.Buffers.Binary;
using System.Net;
using System.Text;

namespace Streaming.LocalCql.Tests;

/// <summary>Values encoded as a client binds them (native protocol v4 section 6), and decoders for result cells.</summary>
internal static class Bytes
{
    public static CqlValue Raw(params byte[] bytes) => CqlValue.Of(bytes);

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

        return Bytes.Raw([.. bytes]);
    }

    public static string AsText(ReadOnlyMemory<byte>? cell) => Encoding.UTF8.GetString(Cell(cell));

    public static int AsInt(ReadOnlyMemory<byte>? cell) => BinaryPrimitives.ReadInt32BigEndian(Cell(cell));

    public static long AsLong(ReadOnlyMemory<byte>? cell) => BinaryPrimitives.ReadInt64BigEndian(Cell(cell));

    public static bool AsBool(ReadOnlyMemory<byte>? cell) => Cell(cell)[0] != 0;

    public static Guid AsUuid(ReadOnlyMemory<byte>? cell) => new(Cell(cell), bigEndian: true);

    public static IPAddress AsInet(ReadOnlyMemory<byte>? cell) => new(Cell(cell));

    /// <summary>The text elements of a set&lt;text&gt; or list&lt;text&gt; cell.</summary>
    public static List<string> AsTextCollection(ReadOnlyMemory<byte>? cell) => [.. Elements(cell, 1).Select(Encoding.UTF8.GetString)];

    /// <summary>The entries of a map&lt;text, text&gt; cell, in stored order.</summary>
    public static List<KeyValuePair<string, string>> AsTextMap(ReadOnlyMemory<byte>? cell) =>
        [.. Elements(cell, 2).Chunk(2).Select(p => new KeyValuePair<string, string>(Encoding.UTF8.GetString(p[0]), Encoding.UTF8.GetString(p[1])))];

    private static List<byte[]> Elements(ReadOnlyMemory<byte>? cell, int perEntry)
    {
        var bytes = Cell(cell);
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

    /// <summary>A result cell's bytes; a null cell fails the test that expected a value.</summary>
    public static byte[] Cell(ReadOnlyMemory<byte>? cell) => cell?.ToArray() ?? throw new InvalidOperationException("null cell");

    private static byte[] BigEndian(int value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(bytes, value);
        return bytes;
    }
}
