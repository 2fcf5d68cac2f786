using System.Net;
using System.Numerics;
using Streaming.Cql.Protocol;
using Streaming.Cql.Tests.Support;
using Streaming.Cql.Types;

namespace Streaming.Cql.Tests.Codec;

public class TypeCodecTests
{
    public static TheoryData<string, object, string> Scalars => new()
    {
        { "int", 42, "00 00 00 2A" },
        { "bigint", -2L, "FF FF FF FF FF FF FF FE" },
        { "boolean", true, "01" },
        { "double", 1.5, "3F F8 00 00 00 00 00 00" },
        { "text", "é", "C3 A9" },
        { "ascii", "ok", "6F 6B" },
        { "smallint", (short)-1, "FF FF" },
        { "tinyint", (sbyte)-128, "80" },
        { "inet", IPAddress.Parse("10.0.0.1"), "0A 00 00 01" },
        { "varint", new BigInteger(128), "00 80" },
        { "varint", new BigInteger(-129), "FF 7F" },
        { "decimal", 1.25m, "00 00 00 02 7D" },
        { "date", new DateOnly(1970, 1, 1), "80 00 00 00" },
        { "date", new DateOnly(1970, 1, 2), "80 00 00 01" },
        { "time", new TimeOnly(0, 0, 1), "00 00 00 00 3B 9A CA 00" },
    };

    private static CqlType TypeNamed(string name) => name switch
    {
        "int" => CqlType.Int,
        "bigint" => CqlType.Bigint,
        "boolean" => CqlType.Boolean,
        "double" => CqlType.Double,
        "text" => CqlType.Text,
        "ascii" => CqlType.Ascii,
        "smallint" => CqlType.Smallint,
        "tinyint" => CqlType.Tinyint,
        "inet" => CqlType.Inet,
        "varint" => CqlType.Varint,
        "decimal" => CqlType.Decimal,
        "date" => CqlType.Date,
        "time" => CqlType.Time,
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    [Theory]
    [MemberData(nameof(Scalars))]
    public void scalars_encode_to_the_spec_layout_and_decode_back(string type, object value, string layout)
    {
        Hex.Equal(layout, CqlValueCodec.Encode(value, TypeNamed(type)));
        Assert.Equal(value, CqlValueCodec.Decode(Hex.Bytes(layout), TypeNamed(type)));
    }

    [Fact]
    public void timestamp_is_eight_byte_big_endian_millis_since_the_epoch()
    {
        var instant = new DateTimeOffset(2021, 1, 1, 0, 0, 0, TimeSpan.Zero);
        Hex.Equal("00 00 01 76 BB 3E 70 00", CqlValueCodec.Encode(instant, CqlType.Timestamp));
        Hex.Equal("00 00 01 76 BB 3E 70 00", CqlValueCodec.Encode(new DateTimeOffset(2021, 1, 1, 2, 0, 0, TimeSpan.FromHours(2)), CqlType.Timestamp));
        Hex.Equal("00 00 01 76 BB 3E 70 00", CqlValueCodec.Encode(new DateTime(2021, 1, 1, 0, 0, 0, DateTimeKind.Utc), CqlType.Timestamp));
        Assert.Equal(instant, CqlValueCodec.Decode(Hex.Bytes("00 00 01 76 BB 3E 70 00"), CqlType.Timestamp));
        Assert.Equal(TimeSpan.Zero, ((DateTimeOffset)CqlValueCodec.Decode(Hex.Bytes("FF FF FF FF FF FF FF FF"), CqlType.Timestamp)!).Offset);
    }

    [Fact]
    public void uuid_and_timeuuid_are_network_order()
    {
        var uuid = Guid.Parse("00112233-4455-6677-8899-aabbccddeeff");
        Hex.Equal("00112233445566778899AABBCCDDEEFF", CqlValueCodec.Encode(uuid, CqlType.Uuid));
        Assert.Equal(uuid, CqlValueCodec.Decode(Hex.Bytes("00112233445566778899AABBCCDDEEFF"), CqlType.Timeuuid));
    }

    [Fact]
    public void map_of_text_is_int_count_then_int_length_prefixed_keys_and_values()
    {
        var map = new Dictionary<string, string> { ["k"] = "v", ["kk"] = "" };
        var layout = "00 00 00 02 | 00 00 00 01 6B | 00 00 00 01 76 | 00 00 00 02 6B 6B | 00 00 00 00";
        Hex.Equal(layout, CqlValueCodec.Encode(map, CqlType.MapOf(CqlType.Text, CqlType.Text)));
        var decoded = Assert.IsType<Dictionary<object, object?>>(CqlValueCodec.Decode(Hex.Bytes(layout), CqlType.MapOf(CqlType.Text, CqlType.Text)));
        Assert.Equal("v", decoded["k"]);
        Assert.Equal("", decoded["kk"]);
    }

    [Fact]
    public void list_and_set_are_int_count_then_int_length_prefixed_elements()
    {
        Hex.Equal("00 00 00 02 | 00 00 00 04 00 00 00 01 | 00 00 00 04 00 00 00 02", CqlValueCodec.Encode(new List<int> { 1, 2 }, CqlType.ListOf(CqlType.Int)));
        Hex.Equal("00 00 00 01 | 00 00 00 01 61", CqlValueCodec.Encode(new HashSet<string> { "a" }, CqlType.SetOf(CqlType.Text)));
        Assert.Equal(new List<object?> { 1, 2 }, CqlValueCodec.Decode(Hex.Bytes("00 00 00 02 00 00 00 04 00 00 00 01 00 00 00 04 00 00 00 02"), CqlType.ListOf(CqlType.Int)));
        Assert.Equal(["a"], Assert.IsType<HashSet<object>>(CqlValueCodec.Decode(Hex.Bytes("00 00 00 01 00 00 00 01 61"), CqlType.SetOf(CqlType.Text))));
    }

    [Fact]
    public void tuples_and_udts_are_a_bytes_per_component_with_nulls()
    {
        var tuple = CqlType.TupleOf(CqlType.Int, CqlType.Text);
        Hex.Equal("00 00 00 04 00 00 00 07 | FF FF FF FF", CqlValueCodec.Encode((7, (string?)null), tuple));
        Assert.Equal(new object?[] { 7, null }, CqlValueCodec.Decode(Hex.Bytes("00 00 00 04 00 00 00 07 FF FF FF FF"), tuple));

        var udt = CqlType.Udt("ks", "addr", [("street", CqlType.Text), ("n", CqlType.Int)]);
        var decoded = Assert.IsType<Dictionary<string, object?>>(CqlValueCodec.Decode(Hex.Bytes("00 00 00 01 78"), udt));
        Assert.Equal("x", decoded["street"]);
        Assert.Null(decoded["n"]);
    }

    [Fact]
    public void empty_bytes_of_a_non_text_type_read_as_null_but_stay_empty_text()
    {
        Assert.Null(CqlValueCodec.Decode(ReadOnlyMemory<byte>.Empty, CqlType.Int));
        Assert.Equal("", CqlValueCodec.Decode(ReadOnlyMemory<byte>.Empty, CqlType.Text));
    }

    [Fact]
    public void a_wrong_dotnet_type_names_both_types()
    {
        var error = Assert.Throws<ArgumentException>(() => CqlValueCodec.Encode("42", CqlType.Int));
        Assert.Contains("String", error.Message, StringComparison.Ordinal);
        Assert.Contains("int", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => CqlValueCodec.Encode(3.5, CqlType.Float));
        Assert.Throws<ArgumentException>(() => CqlValueCodec.Encode("é", CqlType.Ascii));
        Assert.Throws<ArgumentException>(() => CqlValueCodec.Encode(Guid.NewGuid(), CqlType.Timeuuid));
        Assert.Throws<ArgumentException>(() => CqlValueCodec.Encode(new List<string?> { null }, CqlType.ListOf(CqlType.Text)));
    }

    [Fact]
    public void a_malformed_fixed_size_value_is_a_protocol_error()
    {
        Assert.Throws<CqlProtocolException>(() => CqlValueCodec.Decode(Hex.Bytes("00 01"), CqlType.Int));
    }

    [Fact]
    public void types_are_inferred_from_dotnet_types_including_generic_collections()
    {
        Assert.Equal(CqlType.Text, CqlTypeInference.Infer("x"));
        Assert.Equal(CqlType.Bigint, CqlTypeInference.Infer(1L));
        Assert.Equal(CqlType.Timestamp, CqlTypeInference.Infer(DateTimeOffset.UnixEpoch));
        Assert.Equal(CqlType.MapOf(CqlType.Text, CqlType.Text), CqlTypeInference.Infer(new Dictionary<string, string>()));
        Assert.Equal(CqlType.SetOf(CqlType.Uuid), CqlTypeInference.Infer(new HashSet<Guid>()));
        Assert.Equal(CqlType.ListOf(CqlType.Int), CqlTypeInference.Infer(new[] { 1 }));
        Assert.Equal(CqlType.Blob, CqlTypeInference.Infer(new byte[] { 1 }));
        Assert.Throws<ArgumentException>(() => CqlTypeInference.Infer(new object()));
        Assert.Equal(CqlValueKind.Unset, CqlValueCodec.EncodeInferred(CqlUnset.Value).Kind);
        Assert.Equal(CqlValueKind.Null, CqlValueCodec.EncodeInferred(null).Kind);
    }
}
