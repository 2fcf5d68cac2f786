using System.Buffers.Binary;

namespace Streaming.Testing;

/// <summary>Just enough of the Kafka wire format to walk past the fields before each broker port.</summary>
internal sealed class KafkaWireReader(byte[] buffer)
{
    public int Position { get; set; }

    public void Skip(int bytes) => Position += bytes;

    public int Int32()
    {
        var v = BinaryPrimitives.ReadInt32BigEndian(buffer.AsSpan(Position));
        Position += 4;
        return v;
    }

    public uint UnsignedVarint()
    {
        uint value = 0;
        for (var shift = 0; ; shift += 7)
        {
            var b = buffer[Position++];
            value |= (uint)(b & 0x7f) << shift;
            if ((b & 0x80) == 0)
            {
                return value;
            }
        }
    }

    /// <summary>A (nullable) string: int16 length, or in flexible versions an unsigned varint length + 1.</summary>
    public void String(bool compact)
    {
        int length;
        if (compact)
        {
            length = (int)UnsignedVarint() - 1;
        }
        else
        {
            length = BinaryPrimitives.ReadInt16BigEndian(buffer.AsSpan(Position));
            Position += 2;
        }

        Position += Math.Max(0, length); // -1 = null
    }

    public int CompactArrayLength() => Math.Max(0, (int)UnsignedVarint() - 1);

    public void SkipTaggedFields()
    {
        var fields = UnsignedVarint();
        for (var i = 0; i < fields; i++)
        {
            UnsignedVarint(); // tag
            Position += (int)UnsignedVarint(); // size, then the data
        }
    }
}
