using Streaming.Cql.Protocol;
using Streaming.Cql.Tests.Support;

namespace Streaming.Cql.Tests.Codec;

public class RequestLayoutTests
{
    private static byte[] Body(CqlMessage message)
    {
        var writer = new CqlWriter();
        message.Encode(writer);
        return writer.ToArray();
    }

    [Fact]
    public void query_with_values_page_size_paging_state_serial_and_timestamp()
    {
        const string query = "SELECT * FROM t WHERE k=?";
        var layout = "00 00 00 19 " + Hex.Utf8(query)
            + " | 00 06 | 3D"                       // LOCAL_QUORUM; flags values|page_size|paging_state|serial|timestamp
            + " | 00 01 | 00 00 00 04 00 00 00 2A"  // one [value]: int 42
            + " | 00 00 00 64"                      // page size 100
            + " | 00 00 00 03 01 02 03"             // paging state
            + " | 00 09"                            // LOCAL_SERIAL
            + " | 00 00 00 00 00 00 03 E8";         // timestamp 1000 us
        var request = new QueryRequest(query, new QueryParameters
        {
            Consistency = CqlConsistency.LocalQuorum,
            Values = [CqlValue.Of(new byte[] { 0, 0, 0, 42 })],
            PageSize = 100,
            PagingState = new byte[] { 1, 2, 3 },
            SerialConsistency = CqlConsistency.LocalSerial,
            DefaultTimestamp = 1000,
        });
        Hex.Equal(layout, Body(request));

        var decoded = QueryRequest.Decode(new CqlReader(Hex.Bytes(layout)));
        Assert.Equal(query, decoded.Query);
        var p = decoded.Parameters;
        Assert.Equal(CqlConsistency.LocalQuorum, p.Consistency);
        Assert.Equal([0, 0, 0, 42], Assert.Single(p.Values).Bytes.ToArray());
        Assert.Equal(100, p.PageSize);
        Assert.Equal([1, 2, 3], p.PagingState!.Value.ToArray());
        Assert.Equal(CqlConsistency.LocalSerial, p.SerialConsistency);
        Assert.Equal(1000, p.DefaultTimestamp);
        Assert.False(p.SkipMetadata);
        Assert.Null(p.ValueNames);
    }

    [Fact]
    public void query_with_named_null_and_unset_values()
    {
        var layout = "00 00 00 01 71 | 00 01 | 41 | 00 02 | 00 01 61 FF FF FF FF | 00 01 62 FF FF FF FE";
        var request = new QueryRequest("q", new QueryParameters
        {
            Consistency = CqlConsistency.One,
            Values = [CqlValue.Null, CqlValue.Unset],
            ValueNames = ["a", "b"],
        });
        Hex.Equal(layout, Body(request));
        var decoded = QueryRequest.Decode(new CqlReader(Hex.Bytes(layout))).Parameters;
        Assert.Equal(["a", "b"], decoded.ValueNames);
        Assert.Equal([CqlValueKind.Null, CqlValueKind.Unset], decoded.Values.Select(v => v.Kind));
    }

    [Fact]
    public void execute_is_short_bytes_id_then_parameters()
    {
        var layout = "00 02 AB CD | 00 01 | 02";
        var request = new ExecuteRequest(new byte[] { 0xAB, 0xCD }, new QueryParameters { Consistency = CqlConsistency.One, SkipMetadata = true });
        Hex.Equal(layout, Body(request));
        var decoded = ExecuteRequest.Decode(new CqlReader(Hex.Bytes(layout)));
        Assert.Equal([0xAB, 0xCD], decoded.Id.ToArray());
        Assert.True(decoded.Parameters.SkipMetadata);
    }

    [Fact]
    public void batch_mixes_string_and_prepared_queries_then_consistency_flags_and_timestamp()
    {
        var layout = "01 | 00 02"
            + " | 00 00 00 00 08 " + Hex.Utf8("INSERT a") + " 00 00"          // kind 0, query, no values
            + " | 01 00 02 AB CD 00 02 00 00 00 01 01 FF FF FF FF"             // kind 1, id, two values
            + " | 00 06 | 20 | 00 00 00 00 00 00 00 07";                        // LOCAL_QUORUM, flags timestamp, 7 us
        var request = new BatchRequest(BatchType.Unlogged,
            [BatchQuery.Simple("INSERT a", []), BatchQuery.Prepared(new byte[] { 0xAB, 0xCD }, [CqlValue.Of(new byte[] { 1 }), CqlValue.Null])],
            CqlConsistency.LocalQuorum) { DefaultTimestamp = 7 };
        Hex.Equal(layout, Body(request));

        var decoded = BatchRequest.Decode(new CqlReader(Hex.Bytes(layout)));
        Assert.Equal(BatchType.Unlogged, decoded.Type);
        Assert.Equal("INSERT a", decoded.Queries[0].Query);
        Assert.Equal([0xAB, 0xCD], decoded.Queries[1].PreparedId!.Value.ToArray());
        Assert.True(decoded.Queries[1].Values[1].IsNull);
        Assert.Equal(7, decoded.DefaultTimestamp);
        Assert.Null(decoded.SerialConsistency);
    }

    [Fact]
    public void startup_auth_response_prepare_and_register_round_trip()
    {
        var token = new byte[] { 0, 0x75, 0, 0x70 };
        Hex.Equal("00 00 00 04 00 75 00 70", Body(new AuthResponseRequest(token)));
        Hex.Equal("00 00 00 03 " + Hex.Utf8("abc"), Body(new PrepareRequest("abc")));
        Hex.Equal("00 01 00 0D " + Hex.Utf8("STATUS_CHANGE"), Body(new RegisterRequest([CqlEventType.StatusChange])));

        Assert.Equal(token, AuthResponseRequest.Decode(new CqlReader(Hex.Bytes("00 00 00 04 00 75 00 70"))).Token!.Value.ToArray());
        var startup = StartupRequest.Decode(new CqlReader(Body(new StartupRequest(new Dictionary<string, string> { ["CQL_VERSION"] = "3.0.0" }))));
        Assert.Equal("3.0.0", startup.Options[StartupRequest.CqlVersionKey]);
    }
}
