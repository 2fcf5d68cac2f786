using System.Text;
using Confluent.Kafka;
using Streaming.Contracts;

namespace Streaming.Processors;

/// <summary>The stored form of a held request: its origin, original bytes and propagated headers, so release can re-run it.</summary>
internal static class HeldRequest
{
    public static readonly IReadOnlyList<string> PropagatedHeaders = [HeaderNames.TraceParent, HeaderNames.TraceState, HeaderNames.SourceService];

    private const byte Version = 1;

    public static byte[] Encode(Origin origin, string kind)
    {
        using var stream = new MemoryStream();
        using (var w = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
        {
            w.Write(Version);
            w.Write(kind);
            w.Write(origin.Topic);
            w.Write(origin.Partition);
            w.Write(origin.Offset);
            WriteBytes(w, origin.Key);
            WriteBytes(w, origin.Value);
            var kept = PropagatedHeaders.Where(n => origin.Headers.TryGetLastBytes(n, out _)).ToList();
            w.Write(kept.Count);
            foreach (var name in kept)
            {
                w.Write(name);
                WriteBytes(w, origin.Headers.GetLastBytes(name));
            }
        }

        return stream.ToArray();
    }

    public static bool TryDecode(byte[]? data, out Origin origin, out string kind)
    {
        origin = null!;
        kind = "";
        if (data is not { Length: > 0 } || data[0] != Version)
        {
            return false;
        }

        try
        {
            (origin, kind) = Decode(data);
            return true;
        }
        catch (EndOfStreamException)
        {
            return false;
        }
    }

    private static (Origin Origin, string Kind) Decode(byte[] data)
    {
        using var r = new BinaryReader(new MemoryStream(data), Encoding.UTF8);
        r.ReadByte(); // version, checked by TryDecode
        var kind = r.ReadString();
        var topic = r.ReadString();
        var partition = r.ReadInt32();
        var offset = r.ReadInt64();
        var key = ReadBytes(r);
        var value = ReadBytes(r);
        var headers = new Headers();
        for (var n = r.ReadInt32(); n > 0; n--)
        {
            headers.Add(r.ReadString(), ReadBytes(r));
        }

        return (new Origin(topic, partition, offset, key, value, headers), kind);
    }

    private static void WriteBytes(BinaryWriter w, byte[]? bytes)
    {
        w.Write(bytes?.Length ?? -1);
        if (bytes is not null)
        {
            w.Write(bytes);
        }
    }

    private static byte[]? ReadBytes(BinaryReader r)
    {
        var length = r.ReadInt32();
        return length < 0 ? null : r.ReadBytes(length);
    }
}
