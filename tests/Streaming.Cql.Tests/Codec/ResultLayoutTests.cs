using Streaming.Cql.Protocol;
using Streaming.Cql.Tests.Support;

namespace Streaming.Cql.Tests.Codec;

public class ResultLayoutTests
{
    private static byte[] Body(CqlMessage message)
    {
        var writer = new CqlWriter();
        message.Encode(writer);
        return writer.ToArray();
    }

    private static T Decode<T>(string layout) => Assert.IsType<T>(MessageDecoder.DecodeResponse(CqlOpcode.Result, new CqlReader(Hex.Bytes(layout))));

    [Fact]
    public void rows_with_a_global_table_spec()
    {
        var layout = "00 00 00 02"                                    // kind Rows
            + " | 00 00 00 01 | 00 00 00 02"                          // flags Global_tables_spec, 2 columns
            + " | 00 02 6B 73 | 00 01 74"                             // keyspace ks, table t
            + " | 00 01 6B 00 0D | 00 01 76 00 09"                    // k varchar, v int
            + " | 00 00 00 02"                                        // 2 rows
            + " | 00 00 00 01 61 | 00 00 00 04 00 00 00 01"           // 'a', 1
            + " | 00 00 00 01 62 | FF FF FF FF";                      // 'b', null
        var columns = new[] { new ColumnSpec("ks", "t", "k", CqlType.Text), new ColumnSpec("ks", "t", "v", CqlType.Int) };
        var rows = new RowsResult(new RowsMetadata(columns), [[new byte[] { 0x61 }, new byte[] { 0, 0, 0, 1 }], [new byte[] { 0x62 }, null]]);
        Hex.Equal(layout, Body(rows));

        var decoded = Decode<RowsResult>(layout);
        Assert.Equal(columns, decoded.Metadata.Columns);
        Assert.Null(decoded.Metadata.PagingState);
        Assert.Equal(2, decoded.Rows.Count);
        Assert.Equal([0x62], decoded.Rows[1][0]!.Value.ToArray());
        Assert.Null(decoded.Rows[1][1]);
    }

    [Fact]
    public void rows_with_more_pages_carry_the_paging_state_before_the_specs()
    {
        var layout = "00 00 00 02 | 00 00 00 03 | 00 00 00 01 | 00 00 00 02 CA FE | 00 02 6B 73 00 01 74 00 01 6B 00 0D | 00 00 00 00";
        var decoded = Decode<RowsResult>(layout);
        Assert.Equal([0xCA, 0xFE], decoded.Metadata.PagingState!.Value.ToArray());
        Assert.Equal("k", Assert.Single(decoded.Metadata.Columns!).Name);
        Hex.Equal(layout, Body(decoded));
    }

    [Fact]
    public void rows_without_metadata_have_only_flags_and_count()
    {
        var layout = "00 00 00 02 | 00 00 00 04 | 00 00 00 01 | 00 00 00 01 | 00 00 00 01 78";
        var decoded = Decode<RowsResult>(layout);
        Assert.Null(decoded.Metadata.Columns);
        Assert.Equal(1, decoded.Metadata.ColumnCount);
        Hex.Equal(layout, Body(new RowsResult(RowsMetadata.WithoutColumns(1), [[new byte[] { 0x78 }]])));
    }

    [Fact]
    public void columns_of_different_tables_each_carry_their_table_spec()
    {
        var layout = "00 00 00 02 | 00 00 00 00 | 00 00 00 02"
            + " | 00 02 6B 73 00 02 74 31 00 01 61 00 02"
            + " | 00 02 6B 73 00 02 74 32 00 01 62 00 0C"
            + " | 00 00 00 00";
        var columns = new[] { new ColumnSpec("ks", "t1", "a", CqlType.Bigint), new ColumnSpec("ks", "t2", "b", CqlType.Uuid) };
        Hex.Equal(layout, Body(new RowsResult(new RowsMetadata(columns), [])));
        Assert.Equal(columns, Decode<RowsResult>(layout).Metadata.Columns);
    }

    [Fact]
    public void prepared_carries_id_bind_markers_with_partition_key_indexes_and_result_metadata()
    {
        var layout = "00 00 00 04 | 00 02 01 02"
            + " | 00 00 00 01 | 00 00 00 02 | 00 00 00 01 | 00 00"         // flags global, 2 markers, 1 pk index: 0
            + " | 00 02 6B 73 00 01 74 | 00 01 6B 00 0D | 00 01 76 00 09"
            + " | 00 00 00 04 | 00 00 00 00";                             // result metadata: No_metadata, 0 columns
        var decoded = Decode<PreparedResult>(layout);
        Assert.Equal([1, 2], decoded.Id.ToArray());
        Assert.Equal([(ushort)0], decoded.Variables.PartitionKeyIndexes);
        Assert.Equal(["k", "v"], decoded.Variables.Variables.Select(v => v.Name));
        Assert.Equal(CqlType.Int, decoded.Variables.Variables[1].Type);
        Assert.Equal(0, decoded.ResultMetadata.ColumnCount);
        Hex.Equal(layout, Body(decoded));
    }

    [Fact]
    public void void_set_keyspace_and_schema_change()
    {
        Hex.Equal("00 00 00 01", Body(new VoidResult()));
        Assert.Equal("ks", Decode<SetKeyspaceResult>("00 00 00 03 00 02 6B 73").Keyspace);

        var table = "00 00 00 05 00 07 " + Hex.Utf8("CREATED") + " 00 05 " + Hex.Utf8("TABLE") + " 00 02 6B 73 00 01 74";
        Assert.Equal(new SchemaChange("CREATED", "TABLE", "ks", "t"), Decode<SchemaChangeResult>(table).Change);
        Hex.Equal(table, Body(new SchemaChangeResult(new SchemaChange("CREATED", "TABLE", "ks", "t"))));

        var keyspace = "00 00 00 05 00 07 " + Hex.Utf8("DROPPED") + " 00 08 " + Hex.Utf8("KEYSPACE") + " 00 02 6B 73";
        Assert.Null(Decode<SchemaChangeResult>(keyspace).Change.Name);

        var function = "00 00 00 05 00 07 " + Hex.Utf8("UPDATED") + " 00 08 " + Hex.Utf8("FUNCTION") + " 00 02 6B 73 00 01 66 00 01 00 03 " + Hex.Utf8("int");
        Assert.Equal(["int"], Decode<SchemaChangeResult>(function).Change.ArgumentTypes);
    }

    [Fact]
    public void an_empty_paging_state_counts_as_none_so_a_null_array_cannot_announce_more_pages()
    {
        byte[]? none = null;
        Assert.Null(new RowsMetadata([], none).PagingState);
        Assert.Null(new QueryParameters { PagingState = none }.PagingState);
        Hex.Equal("00 00 00 00 | 00 00 00 00 | 00 00 00 00", Body(new RowsResult(new RowsMetadata([], none), [])).AsSpan(4));
    }

    [Fact]
    public void an_unknown_result_kind_is_a_protocol_error()
    {
        Assert.Throws<CqlProtocolException>(() => Decode<VoidResult>("00 00 00 09"));
    }
}
