using Avro;
using Avro.Generic;
using Avro.IO;

namespace Streaming.Contracts.Tests;

/// <summary>What the schema-evolution tests share: a record's previous schema (kept in PreviousSchemas/) and Avro binary writing.</summary>
internal static class Evolution
{
    /// <summary>The schema of <paramref name="record"/> as it was before its last change (<c>PreviousSchemas/&lt;record&gt;.v1.avsc</c>).</summary>
    public static Schema PreviousSchema(string record)
        => Schema.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "PreviousSchemas", $"{record}.v1.avsc")));

    public static byte[] Write<T>(DatumWriter<T> writer, T value)
    {
        using var stream = new MemoryStream();
        writer.Write(value, new BinaryEncoder(stream));
        return stream.ToArray();
    }
}
