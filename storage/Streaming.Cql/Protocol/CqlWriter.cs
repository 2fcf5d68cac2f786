using System.Buffers.Binary;
using System.Net;
using System.Text;

namespace Streaming.Cql.Protocol;

/// <summary>
/// Writes the body notations of native protocol v4 (section 3) big-endian into a growable buffer.
/// Used by both sides: a client encodes requests with it, a server encodes responses.
/// </summary>
public sealed class CqlWriter(int initialCapacity = 256)
{
    private byte[] _buffer = new byte[Math.Max(16, initialCapacity)];

    /// <summary>Bytes written so far.</summary>
    public int Length { get; private set; }

    /// <summary>The written bytes (valid until the next write).</summary>
    public ReadOnlySpan<byte> WrittenSpan => _buffer.AsSpan(0, Length);

    /// <summary>A copy of the written bytes.</summary>
    public byte[] ToArray() => WrittenSpan.ToArray();

    public void WriteByte(byte value) => Reserve(1)[0] = value;

    /// <summary>[short]: 2 bytes, unsigned.</summary>
    public void WriteShort(ushort value) => BinaryPrimitives.WriteUInt16BigEndian(Reserve(2), value);

    /// <summary>[int]: 4 bytes, signed.</summary>
    public void WriteInt(int value) => BinaryPrimitives.WriteInt32BigEndian(Reserve(4), value);

    /// <summary>[long]: 8 bytes, signed.</summary>
    public void WriteLong(long value) => BinaryPrimitives.WriteInt64BigEndian(Reserve(8), value);

    /// <summary>[string]: a [short] byte length then UTF-8.</summary>
    public void WriteString(string value)
    {
        var length = Encoding.UTF8.GetByteCount(value);
        if (length > ushort.MaxValue)
        {
            throw new ArgumentException($"A [string] holds at most {ushort.MaxValue} UTF-8 bytes; this one has {length}.", nameof(value));
        }

        WriteShort((ushort)length);
        Encoding.UTF8.GetBytes(value, Reserve(length));
    }

    /// <summary>[long string]: an [int] byte length then UTF-8.</summary>
    public void WriteLongString(string value)
    {
        var length = Encoding.UTF8.GetByteCount(value);
        WriteInt(length);
        Encoding.UTF8.GetBytes(value, Reserve(length));
    }

    /// <summary>[bytes]: an [int] length then the bytes; null writes length -1.</summary>
    public void WriteBytes(ReadOnlyMemory<byte>? value)
    {
        if (value is not { } bytes)
        {
            WriteInt(-1);
            return;
        }

        WriteInt(bytes.Length);
        WriteRaw(bytes.Span);
    }

    /// <summary>
    /// [bytes] from an array; null writes length -1. Without this overload a null array would convert to an empty
    /// ReadOnlyMemory and be written as zero bytes instead of null.
    /// </summary>
    public void WriteBytes(byte[]? value) => WriteBytes(value is null ? (ReadOnlyMemory<byte>?)null : value.AsMemory());

    /// <summary>[short bytes]: a [short] length then the bytes.</summary>
    public void WriteShortBytes(ReadOnlySpan<byte> value)
    {
        if (value.Length > ushort.MaxValue)
        {
            throw new ArgumentException($"[short bytes] hold at most {ushort.MaxValue} bytes; got {value.Length}.", nameof(value));
        }

        WriteShort((ushort)value.Length);
        WriteRaw(value);
    }

    /// <summary>[value]: like [bytes], with -1 for null and -2 for not set.</summary>
    public void WriteValue(CqlValue value)
    {
        switch (value.Kind)
        {
            case CqlValueKind.Null:
                WriteInt(-1);
                break;
            case CqlValueKind.Unset:
                WriteInt(-2);
                break;
            default:
                WriteInt(value.Bytes.Length);
                WriteRaw(value.Bytes.Span);
                break;
        }
    }

    /// <summary>[uuid]: 16 bytes in RFC 4122 (network) order, not .NET's mixed-endian Guid layout.</summary>
    public void WriteUuid(Guid value)
    {
        if (!value.TryWriteBytes(Reserve(16), bigEndian: true, out _))
        {
            throw new InvalidOperationException("A Guid did not fit in 16 bytes.");
        }
    }

    /// <summary>[inet]: one byte address size (4 or 16), the address, then the port as an [int].</summary>
    public void WriteInet(IPEndPoint endpoint)
    {
        var address = endpoint.Address.GetAddressBytes();
        WriteByte((byte)address.Length);
        WriteRaw(address);
        WriteInt(endpoint.Port);
    }

    /// <summary>[consistency]: a [short].</summary>
    public void WriteConsistency(CqlConsistency consistency) => WriteShort((ushort)consistency);

    /// <summary>[string list]: a [short] count then that many [string].</summary>
    public void WriteStringList(IReadOnlyCollection<string> values)
    {
        WriteShort(CheckedCount(values.Count));
        foreach (var value in values)
        {
            WriteString(value);
        }
    }

    /// <summary>[string map]: a [short] count then [string] key/value pairs.</summary>
    public void WriteStringMap(IReadOnlyDictionary<string, string> map)
    {
        WriteShort(CheckedCount(map.Count));
        foreach (var (key, value) in map)
        {
            WriteString(key);
            WriteString(value);
        }
    }

    /// <summary>[string multimap]: a [short] count then [string] keys each with a [string list].</summary>
    public void WriteStringMultimap(IReadOnlyDictionary<string, IReadOnlyList<string>> map)
    {
        WriteShort(CheckedCount(map.Count));
        foreach (var (key, values) in map)
        {
            WriteString(key);
            WriteStringList(values);
        }
    }

    /// <summary>[bytes map]: a [short] count then [string] keys each with [bytes].</summary>
    public void WriteBytesMap(IReadOnlyDictionary<string, ReadOnlyMemory<byte>?> map)
    {
        WriteShort(CheckedCount(map.Count));
        foreach (var (key, value) in map)
        {
            WriteString(key);
            WriteBytes(value);
        }
    }

    /// <summary>Copies bytes as they are, with no length prefix.</summary>
    public void WriteRaw(ReadOnlySpan<byte> bytes) => bytes.CopyTo(Reserve(bytes.Length));

    /// <summary>Overwrites an [int] written earlier at <paramref name="offset"/> (e.g. a frame's body length).</summary>
    public void PatchInt(int offset, int value) => BinaryPrimitives.WriteInt32BigEndian(_buffer.AsSpan(offset, 4), value);

    /// <summary>Appends <paramref name="count"/> bytes and returns them for the caller to fill.</summary>
    public Span<byte> Reserve(int count)
    {
        if (Length + count > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(Length + count, checked(_buffer.Length * 2)));
        }

        var span = _buffer.AsSpan(Length, count);
        Length += count;
        return span;
    }

    private static ushort CheckedCount(int count) => count <= ushort.MaxValue
        ? (ushort)count
        : throw new ArgumentException($"A [short]-counted collection holds at most {ushort.MaxValue} entries; got {count}.");
}
