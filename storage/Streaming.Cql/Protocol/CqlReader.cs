using System.Buffers.Binary;
using System.Net;
using System.Text;

namespace Streaming.Cql.Protocol;

/// <summary>
/// Reads the body notations of native protocol v4 (section 3) from a frame body. [bytes] come back as slices of
/// the body (no copy). Running past the end throws <see cref="CqlProtocolException"/>.
/// </summary>
public sealed class CqlReader(ReadOnlyMemory<byte> body)
{
    /// <summary>Offset of the next byte to read.</summary>
    public int Position { get; private set; }

    /// <summary>Bytes left; the spec allows trailing bytes a reader does not know, so callers may ignore them.</summary>
    public int Remaining => body.Length - Position;

    public byte ReadByte() => Take(1).Span[0];

    /// <summary>[short]: 2 bytes, unsigned.</summary>
    public ushort ReadShort() => BinaryPrimitives.ReadUInt16BigEndian(Take(2).Span);

    /// <summary>[int]: 4 bytes, signed.</summary>
    public int ReadInt() => BinaryPrimitives.ReadInt32BigEndian(Take(4).Span);

    /// <summary>[long]: 8 bytes, signed.</summary>
    public long ReadLong() => BinaryPrimitives.ReadInt64BigEndian(Take(8).Span);

    /// <summary>[string].</summary>
    public string ReadString() => Encoding.UTF8.GetString(Take(ReadShort()).Span);

    /// <summary>[long string].</summary>
    public string ReadLongString() => Encoding.UTF8.GetString(Take(CheckedLength(ReadInt(), "[long string]")).Span);

    /// <summary>[bytes]: null for a negative length.</summary>
    public ReadOnlyMemory<byte>? ReadBytes()
    {
        var length = ReadInt();
        return length < 0 ? (ReadOnlyMemory<byte>?)null : Take(length);
    }

    /// <summary>[short bytes].</summary>
    public ReadOnlyMemory<byte> ReadShortBytes() => Take(ReadShort());

    /// <summary>[value]: bytes, null (-1) or not set (-2); below -2 is a protocol error.</summary>
    public CqlValue ReadValue()
    {
        var length = ReadInt();
        return length switch
        {
            -1 => CqlValue.Null,
            -2 => CqlValue.Unset,
            < -2 => throw new CqlProtocolException($"A [value] length of {length} is invalid (only -1 null and -2 unset are negative)."),
            _ => CqlValue.Of(Take(length)),
        };
    }

    /// <summary>[uuid] in network byte order.</summary>
    public Guid ReadUuid() => new(Take(16).Span, bigEndian: true);

    /// <summary>[inet]: address size, address, [int] port.</summary>
    public IPEndPoint ReadInet()
    {
        var size = ReadByte();
        if (size is not (4 or 16))
        {
            throw new CqlProtocolException($"An [inet] address is 4 or 16 bytes; got {size}.");
        }

        var address = new IPAddress(Take(size).Span);
        return new IPEndPoint(address, ReadInt());
    }

    /// <summary>[consistency].</summary>
    public CqlConsistency ReadConsistency() => (CqlConsistency)ReadShort();

    /// <summary>[string list].</summary>
    public IReadOnlyList<string> ReadStringList()
    {
        var count = ReadShort();
        var list = new string[count];
        for (var i = 0; i < count; i++)
        {
            list[i] = ReadString();
        }

        return list;
    }

    /// <summary>[string map].</summary>
    public IReadOnlyDictionary<string, string> ReadStringMap()
    {
        var count = ReadShort();
        var map = new Dictionary<string, string>(count, StringComparer.Ordinal);
        for (var i = 0; i < count; i++)
        {
            var key = ReadString();
            map[key] = ReadString();
        }

        return map;
    }

    /// <summary>[string multimap].</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> ReadStringMultimap()
    {
        var count = ReadShort();
        var map = new Dictionary<string, IReadOnlyList<string>>(count, StringComparer.Ordinal);
        for (var i = 0; i < count; i++)
        {
            var key = ReadString();
            map[key] = ReadStringList();
        }

        return map;
    }

    /// <summary>[bytes map].</summary>
    public IReadOnlyDictionary<string, ReadOnlyMemory<byte>?> ReadBytesMap()
    {
        var count = ReadShort();
        var map = new Dictionary<string, ReadOnlyMemory<byte>?>(count, StringComparer.Ordinal);
        for (var i = 0; i < count; i++)
        {
            var key = ReadString();
            map[key] = ReadBytes();
        }

        return map;
    }

    /// <summary>The next <paramref name="count"/> bytes as a slice of the body.</summary>
    public ReadOnlyMemory<byte> ReadRaw(int count) => Take(count);

    private ReadOnlyMemory<byte> Take(int count)
    {
        if (count > Remaining)
        {
            throw new CqlProtocolException($"Truncated body: needed {count} byte(s) at offset {Position}, {Remaining} left.");
        }

        var slice = body.Slice(Position, count);
        Position += count;
        return slice;
    }

    private static int CheckedLength(int length, string notation) => length >= 0
        ? length
        : throw new CqlProtocolException($"A {notation} length of {length} is negative.");
}
