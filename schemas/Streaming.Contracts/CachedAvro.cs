using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using Avro.IO;
using Avro.Specific;
using Confluent.Kafka;
using Confluent.SchemaRegistry;
using Confluent.SchemaRegistry.Serdes;
using AvroSchema = Avro.Schema;

namespace Streaming.Contracts;

/// <summary>
/// Confluent's Avro wire format (magic byte 0, big-endian schema ID, Avro body) with the per-record work cached: the
/// schema ID is looked up or registered once per subject, and the record is written with one shared
/// <see cref="SpecificWriter{T}"/>. Registration is exactly what Confluent's <see cref="AvroSerializer{T}"/> does with
/// <see cref="AvroSerdes.SerializerConfig"/>: the same schema text, TopicNameStrategy, no normalization.
/// </summary>
/// <remarks>
/// Why not Confluent's serializer: it takes a lock, hashes the whole schema text for its cache and chains two
/// <c>ContinueWith</c> calls (for data-contract rules this platform does not use) for every record. Those continuations
/// run on the thread pool, so a Streamiz stream thread blocks on each record while a pool thread finishes it.
/// </remarks>
public sealed class CachedAvroSerializer<T> : IAsyncSerializer<T>, ISerializer<T>
    where T : class, ISpecificRecord, new()
{
    private const int MaxKeptBuffer = 1 << 20;

    private static readonly AvroSchema WriterSchema = new T().Schema;
    private static readonly string WriterSchemaText = WriterSchema.ToString();

    [ThreadStatic]
    private static MemoryStream? buffer;

    private readonly ISchemaRegistryClient registry;
    private readonly bool autoRegister;
    private readonly SpecificWriter<T> writer = new(new PrimitiveFastWriter(WriterSchema));
    private readonly ConcurrentDictionary<(string Topic, MessageComponentType Component), Task<int>> ids = new();

    public CachedAvroSerializer(ISchemaRegistryClient registry, bool autoRegister = true)
    {
        this.registry = registry;
        this.autoRegister = autoRegister;
    }

    public async Task<byte[]> SerializeAsync(T data, SerializationContext context)
    {
        var id = SchemaId(context);
        return Encode(id.IsCompletedSuccessfully ? id.Result : await id.ConfigureAwait(false), data);
    }

    public byte[] Serialize(T data, SerializationContext context)
    {
        var id = SchemaId(context);
        return Encode(id.IsCompletedSuccessfully ? id.Result : id.ConfigureAwait(false).GetAwaiter().GetResult(), data);
    }

    // Keyed by topic and component rather than by subject, so a record costs no string building; the subject is named
    // only when the ID is first resolved.
    private Task<int> SchemaId(SerializationContext context)
    {
        var key = (context.Topic, context.Component);
        var id = ids.GetOrAdd(key, ResolveAsync);
        if (id.IsFaulted || id.IsCanceled)
        {
            // A registry that was down (or refused the schema) is asked again by the next record, as Confluent's does.
            ids.TryRemove(new KeyValuePair<(string, MessageComponentType), Task<int>>(key, id));
        }

        return id;
    }

    private async Task<int> ResolveAsync((string Topic, MessageComponentType Component) key)
    {
        var subject = AvroSerdes.Subject(key.Topic, key.Component);
        var schema = new Schema(WriterSchemaText, [], SchemaType.Avro);
        var registered = autoRegister
            ? await registry.RegisterSchemaWithResponseAsync(subject, schema, normalize: false).ConfigureAwait(false)
            : await registry.LookupSchemaAsync(subject, schema, ignoreDeletedSchemas: true, normalize: false).ConfigureAwait(false);
        return registered.Id;
    }

    private byte[] Encode(int id, T data)
    {
        var stream = buffer ??= new MemoryStream(1024);
        stream.SetLength(0);
        Span<byte> header = stackalloc byte[5];
        header[0] = 0;
        BinaryPrimitives.WriteInt32BigEndian(header[1..], id);
        stream.Write(header);
        writer.Write(data, new BinaryEncoder(stream));
        var bytes = stream.ToArray();
        if (stream.Capacity > MaxKeptBuffer)
        {
            buffer = null; // one huge record must not pin a huge buffer per thread
        }

        return bytes;
    }
}

/// <summary>
/// Reads Confluent's Avro wire format with one cached <see cref="SpecificReader{T}"/> per writer schema ID (the writer
/// schema fetched once, resolved against <typeparamref name="T"/>'s schema). Anything it does not handle itself (no
/// magic byte, schema references, a body that does not decode) goes through Confluent's
/// <see cref="AvroDeserializer{T}"/>, so bad input fails with exactly Confluent's error.
/// </summary>
/// <remarks>
/// Why not Confluent's deserializer alone: per record it takes a lock and hashes both schemas to find its cached reader,
/// and hops to the thread pool for a rules step this platform does not use (see <see cref="CachedAvroSerializer{T}"/>).
/// </remarks>
public sealed class CachedAvroDeserializer<T> : IAsyncDeserializer<T>, IDeserializer<T>
    where T : class, ISpecificRecord, new()
{
    private static readonly AvroSchema ReaderSchema = new T().Schema;

    private readonly ISchemaRegistryClient registry;
    private readonly AvroDeserializer<T> fallback;
    private readonly ConcurrentDictionary<int, Task<SpecificReader<T>?>> readers = new();
    private long fallbacks;

    public CachedAvroDeserializer(ISchemaRegistryClient registry)
    {
        this.registry = registry;
        fallback = new AvroDeserializer<T>(registry, AvroSerdes.DeserializerConfig());
    }

    /// <summary>Records handed to Confluent's deserializer (bad input, or a format this one does not read itself).</summary>
    public long Fallbacks => Interlocked.Read(ref fallbacks);

    public async Task<T> DeserializeAsync(ReadOnlyMemory<byte> data, bool isNull, SerializationContext context)
    {
        if (isNull)
        {
            return null!;
        }

        if (Reader(data.Span, context) is { } reader)
        {
            var datumReader = reader.IsCompletedSuccessfully ? reader.Result : await AwaitReader(reader).ConfigureAwait(false);
            if (datumReader is not null && TryRead(datumReader, data, out var value))
            {
                return value;
            }
        }

        Interlocked.Increment(ref fallbacks);
        return await fallback.DeserializeAsync(data, isNull, context).ConfigureAwait(false);
    }

    public T Deserialize(ReadOnlySpan<byte> data, bool isNull, SerializationContext context)
    {
        if (isNull)
        {
            return null!;
        }

        if (Reader(data, context) is { } reader)
        {
            var datumReader = reader.IsCompletedSuccessfully ? reader.Result : AwaitReader(reader).ConfigureAwait(false).GetAwaiter().GetResult();
            if (datumReader is not null && TryRead(datumReader, data.ToArray(), out var value))
            {
                return value;
            }
        }

        Interlocked.Increment(ref fallbacks);
        return fallback.DeserializeAsync(data.ToArray(), isNull, context).ConfigureAwait(false).GetAwaiter().GetResult();
    }

    /// <summary>The cached reader task for the record's schema ID, or null when the bytes are not in the prefix format.</summary>
    private Task<SpecificReader<T>?>? Reader(ReadOnlySpan<byte> data, SerializationContext context)
    {
        if (data.Length < 5 || data[0] != 0)
        {
            return null;
        }

        var id = BinaryPrimitives.ReadInt32BigEndian(data[1..5]);
        if (!readers.TryGetValue(id, out var reader))
        {
            // Only a new schema ID names its subject (Confluent asks the registry by subject and ID).
            reader = readers.GetOrAdd(id, i => LoadAsync(AvroSerdes.Subject(context.Topic, context.Component), i));
        }

        if (reader.IsFaulted || reader.IsCanceled)
        {
            readers.TryRemove(new KeyValuePair<int, Task<SpecificReader<T>?>>(id, reader));
        }

        return reader;
    }

    private static async Task<SpecificReader<T>?> AwaitReader(Task<SpecificReader<T>?> reader)
    {
        try
        {
            return await reader.ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return null; // the fallback asks the registry again and reports its error
        }
    }

    private async Task<SpecificReader<T>?> LoadAsync(string subject, int id)
    {
        var schema = await registry.GetSchemaBySubjectAndIdAsync(subject, id).ConfigureAwait(false);
        if (schema.SchemaType != SchemaType.Avro || schema.References is { Count: > 0 })
        {
            return null; // named references need Confluent's resolution: always the fallback for this ID
        }

        return new SpecificReader<T>(AvroSchema.Parse(schema.SchemaString), ReaderSchema);
    }

    private static bool TryRead(SpecificReader<T> reader, ReadOnlyMemory<byte> data, out T value)
    {
        var segment = MemoryMarshal.TryGetArray(data, out var array) ? array : new ArraySegment<byte>(data.ToArray());
        try
        {
            using var stream = new MemoryStream(segment.Array!, segment.Offset + 5, segment.Count - 5, writable: false);
            value = reader.Read(new T(), new BinaryDecoder(stream));
            return true;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            value = null!;
            return false; // the fallback decodes it again and throws Confluent's error
        }
    }
}
