using Avro.Generic;
using Avro.IO;

namespace Streaming.Contracts.Tests;

/// <summary>Avro binary encoding of one datum, for the schema-evolution tests.</summary>
internal static class AvroBytes
{
    public static byte[] Write<T>(DatumWriter<T> writer, T value)
    {
        using var stream = new MemoryStream();
        writer.Write(value, new BinaryEncoder(stream));
        return stream.ToArray();
    }
}
