using System.Buffers.Binary;
using System.Net;
using System.Text;
using Streaming.Cql.Protocol;
using Streaming.LocalCql.Types;

namespace Streaming.LocalCql.SystemTables;

/// <summary>Encoders for the values system tables hold, in the protocol's encodings.</summary>
internal static class SystemValues
{
    public static byte[] Text(string value) => Encoding.UTF8.GetBytes(value);

    public static byte[] Int(int value) => LiteralEncoder.Int(value);

    public static byte[] Boolean(bool value) => [value ? (byte)1 : (byte)0];

    public static byte[] Double(double value)
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteDoubleBigEndian(bytes, value);
        return bytes;
    }

    public static byte[] Uuid(Guid value) => value.ToByteArray(bigEndian: true);

    public static byte[] Inet(IPAddress address) => address.GetAddressBytes();

    public static byte[] TextSet(params string[] values) =>
        CollectionCodec.EncodeSequence([.. values.Order(StringComparer.Ordinal).Distinct().Select(Text)]);

    /// <summary>A map&lt;text, text&gt; with keys in UTF-8 byte order, as Cassandra stores map keys.</summary>
    public static byte[] TextMap(IReadOnlyDictionary<string, string> map) => CollectionCodec.EncodeMap(
        [.. map.Select(e => new KeyValuePair<byte[], byte[]>(Text(e.Key), Text(e.Value)))
            .OrderBy(e => e.Key, Comparer<byte[]>.Create((a, b) => ValueComparer.Compare(CqlType.Text, a, b)))]);
}
