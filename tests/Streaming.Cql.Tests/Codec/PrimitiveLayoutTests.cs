using System.Net;
using Streaming.Cql.Protocol;
using Streaming.Cql.Tests.Support;

namespace Streaming.Cql.Tests.Codec;

public class PrimitiveLayoutTests
{
    private static byte[] Write(Action<CqlWriter> write)
    {
        var writer = new CqlWriter();
        write(writer);
        return writer.ToArray();
    }

    [Fact]
    public void int_long_and_short_are_big_endian()
    {
        Hex.Equal("00 00 01 02 | FF FF FF FE | 00 00 00 00 00 00 00 2A | FF FE", Write(w =>
        {
            w.WriteInt(258);
            w.WriteInt(-2);
            w.WriteLong(42);
            w.WriteShort(0xFFFE);
        }));
        var r = new CqlReader(Hex.Bytes("00 00 01 02 FF FF FF FE 00 00 00 00 00 00 00 2A FF FE"));
        Assert.Equal(258, r.ReadInt());
        Assert.Equal(-2, r.ReadInt());
        Assert.Equal(42L, r.ReadLong());
        Assert.Equal(0xFFFE, r.ReadShort());
        Assert.Equal(0, r.Remaining);
    }

    [Fact]
    public void string_is_short_length_then_utf8_and_long_string_is_int_length()
    {
        Hex.Equal("00 03 61 C3 A9 | 00 00 00 02 68 69", Write(w =>
        {
            w.WriteString("aé");
            w.WriteLongString("hi");
        }));
        var r = new CqlReader(Hex.Bytes("00 03 61 C3 A9 00 00 00 02 68 69"));
        Assert.Equal("aé", r.ReadString());
        Assert.Equal("hi", r.ReadLongString());
    }

    [Fact]
    public void bytes_null_is_minus_one_and_value_unset_is_minus_two()
    {
        Hex.Equal("00 00 00 02 0A 0B | FF FF FF FF | FF FF FF FF | FF FF FF FE | 00 01 07", Write(w =>
        {
            w.WriteBytes(new byte[] { 0x0A, 0x0B });
            w.WriteBytes(null);
            w.WriteValue(CqlValue.Null);
            w.WriteValue(CqlValue.Unset);
            w.WriteShortBytes([0x07]);
        }));
        var r = new CqlReader(Hex.Bytes("00 00 00 02 0A 0B FF FF FF FF FF FF FF FF FF FF FF FE 00 01 07"));
        Assert.Equal([0x0A, 0x0B], r.ReadBytes()!.Value.ToArray());
        Assert.Null(r.ReadBytes());
        Assert.True(r.ReadValue().IsNull);
        Assert.True(r.ReadValue().IsUnset);
        Assert.Equal([0x07], r.ReadShortBytes().ToArray());
    }

    [Fact]
    public void a_value_length_below_minus_two_is_a_protocol_error()
    {
        Assert.Throws<CqlProtocolException>(() => new CqlReader(Hex.Bytes("FF FF FF FD")).ReadValue());
    }

    [Fact]
    public void reading_past_the_end_is_a_protocol_error_naming_the_shortfall()
    {
        var error = Assert.Throws<CqlProtocolException>(() => new CqlReader(Hex.Bytes("00 05 61")).ReadString());
        Assert.Contains("needed 5", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void string_list_map_and_multimap_are_short_counted()
    {
        var list = "00 02 | 00 01 61 | 00 01 62";
        var map = "00 01 | 00 0B " + Hex.Utf8("CQL_VERSION") + " | 00 05 " + Hex.Utf8("3.0.0");
        var multimap = "00 01 | 00 0B " + Hex.Utf8("COMPRESSION") + " | 00 02 00 03 " + Hex.Utf8("lz4") + " 00 06 " + Hex.Utf8("snappy");
        Hex.Equal(list + map + multimap, Write(w =>
        {
            w.WriteStringList(["a", "b"]);
            w.WriteStringMap(new Dictionary<string, string> { ["CQL_VERSION"] = "3.0.0" });
            w.WriteStringMultimap(new Dictionary<string, IReadOnlyList<string>> { ["COMPRESSION"] = ["lz4", "snappy"] });
        }));
        var r = new CqlReader(Hex.Bytes(list + map + multimap));
        Assert.Equal(["a", "b"], r.ReadStringList());
        Assert.Equal("3.0.0", r.ReadStringMap()["CQL_VERSION"]);
        Assert.Equal(["lz4", "snappy"], r.ReadStringMultimap()["COMPRESSION"]);
    }

    [Fact]
    public void uuid_is_written_in_network_byte_order_not_the_guid_layout()
    {
        var uuid = Guid.Parse("00112233-4455-6677-8899-aabbccddeeff");
        Hex.Equal("00 11 22 33 44 55 66 77 88 99 AA BB CC DD EE FF", Write(w => w.WriteUuid(uuid)));
        Assert.NotEqual(Hex.Of(uuid.ToByteArray()), Hex.Of(Write(w => w.WriteUuid(uuid))));
        Assert.Equal(uuid, new CqlReader(Hex.Bytes("00112233445566778899AABBCCDDEEFF")).ReadUuid());
    }

    [Fact]
    public void inet_is_size_address_then_int_port()
    {
        var v4 = new IPEndPoint(IPAddress.Parse("127.0.0.1"), 9042);
        var v6 = new IPEndPoint(IPAddress.IPv6Loopback, 7000);
        Hex.Equal("04 7F 00 00 01 00 00 23 52 | 10 00000000000000000000000000000001 00 00 1B 58", Write(w =>
        {
            w.WriteInet(v4);
            w.WriteInet(v6);
        }));
        var r = new CqlReader(Hex.Bytes("04 7F 00 00 01 00 00 23 52 10 00000000000000000000000000000001 00 00 1B 58"));
        Assert.Equal(v4, r.ReadInet());
        Assert.Equal(v6, r.ReadInet());
    }

    [Fact]
    public void consistency_is_a_short()
    {
        Hex.Equal("00 06 00 0A", Write(w =>
        {
            w.WriteConsistency(CqlConsistency.LocalQuorum);
            w.WriteConsistency(CqlConsistency.LocalOne);
        }));
        Assert.Equal(CqlConsistency.LocalSerial, new CqlReader(Hex.Bytes("00 09")).ReadConsistency());
    }

    [Fact]
    public void type_options_nest_for_collections_and_carry_udt_fields()
    {
        var udt = CqlType.Udt("ks", "addr", [("street", CqlType.Text), ("n", CqlType.Int)]);
        var layout = "00 21 00 0D 00 20 00 09 | 00 30 00 02 6B 73 00 04 " + Hex.Utf8("addr") + " 00 02 00 06 " + Hex.Utf8("street") + " 00 0D 00 01 6E 00 09";
        Hex.Equal(layout, Write(w =>
        {
            TypeOptionCodec.Write(w, CqlType.MapOf(CqlType.Text, CqlType.ListOf(CqlType.Int)));
            TypeOptionCodec.Write(w, udt);
        }));
        var r = new CqlReader(Hex.Bytes(layout));
        Assert.Equal(CqlType.MapOf(CqlType.Text, CqlType.ListOf(CqlType.Int)), TypeOptionCodec.Read(r));
        Assert.Equal(udt, TypeOptionCodec.Read(r));
    }
}
