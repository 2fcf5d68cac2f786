using System.Buffers.Binary;
using Streaming.Cql.Protocol;
using Streaming.LocalCql.Storage;

namespace Streaming.LocalCql.Execution;

/// <summary>
/// The opaque paging state the engine hands out: the key of the last row returned and the rows LIMIT still allows.
/// The next page resumes strictly after that key, so rows inserted elsewhere meanwhile neither repeat nor shift rows.
/// Layout: version byte 1, [int] remaining (-1: no LIMIT), then partition and clustering components, each an [int]
/// count followed by [int]-length-prefixed bytes.
/// </summary>
internal sealed record PagingState(RowPosition After, int? Remaining)
{
    private const byte Version = 1;

    public byte[] Encode()
    {
        var components = After.PartitionKey.Concat(After.Clustering).ToList();
        var bytes = new byte[1 + 4 + 8 + components.Sum(c => 4 + c.Length)];
        bytes[0] = Version;
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(1), Remaining ?? -1);
        var offset = 5;
        foreach (var part in (byte[][][])[After.PartitionKey, After.Clustering])
        {
            BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(offset), part.Length);
            offset += 4;
            foreach (var component in part)
            {
                BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(offset), component.Length);
                component.CopyTo(bytes, offset + 4);
                offset += 4 + component.Length;
            }
        }

        return bytes;
    }

    /// <summary>The state a previous page produced, or a protocol error for bytes this engine did not write.</summary>
    public static PagingState Decode(byte[] bytes)
    {
        try
        {
            if (bytes[0] != Version)
            {
                throw Invalid();
            }

            var remaining = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(1));
            var offset = 5;
            var partitionKey = Components(bytes, ref offset);
            var clustering = Components(bytes, ref offset);
            return offset == bytes.Length
                ? new PagingState(new RowPosition(partitionKey, clustering), remaining < 0 ? null : remaining)
                : throw Invalid();
        }
        catch (ArgumentOutOfRangeException)
        {
            throw Invalid();
        }
        catch (IndexOutOfRangeException)
        {
            throw Invalid();
        }
    }

    private static byte[][] Components(byte[] bytes, ref int offset)
    {
        var count = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(offset));
        offset += 4;
        if (count < 0 || count > bytes.Length)
        {
            throw Invalid();
        }

        var components = new byte[count][];
        for (var i = 0; i < count; i++)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(offset));
            components[i] = bytes.AsSpan(offset + 4, length).ToArray();
            offset += 4 + length;
        }

        return components;
    }

    private static CqlEngineException Invalid() => new(CqlErrorCode.ProtocolError, "Invalid value for the paging state");
}
