using static Streaming.LocalCql.Tests.Server.ServerRig;

namespace Streaming.LocalCql.Tests.Server;

/// <summary>What the server does frame by frame: version negotiation, handshake order, events, error framing.</summary>
public class ServerProtocolTests
{
    [Fact(Timeout = 30_000)]
    public async Task a_frame_of_another_protocol_version_gets_the_version_error_on_its_stream_then_the_connection_closes()
    {
        await using var server = await StartAsync();
        await using var connection = await RawCqlConnection.OpenAsync(server.Endpoint);

        // A v5 OPTIONS request on stream 7: version byte 0x05, no flags, stream, opcode 0x05, empty body.
        await connection.SendRawAsync([0x05, 0x00, 0x00, 0x07, 0x05, 0x00, 0x00, 0x00, 0x00]);

        var answer = await connection.ReadAsync();
        Assert.Equal(7, answer!.Stream);
        var error = Assert.IsType<ErrorResponse>(answer.Message);
        Assert.Equal(CqlErrorCode.ProtocolError, error.Code);
        Assert.Contains("unsupported protocol version", error.Message, StringComparison.Ordinal);
        Assert.Null(await connection.ReadAsync());
    }

    [Fact(Timeout = 30_000)]
    public async Task statements_before_startup_are_protocol_errors_and_options_lists_what_drivers_read()
    {
        await using var server = await StartAsync();
        await using var connection = await RawCqlConnection.OpenAsync(server.Endpoint);

        var early = Assert.IsType<ErrorResponse>(await connection.RequestAsync(3, RawCqlConnection.Query("SELECT * FROM system.local")));
        var supported = Assert.IsType<SupportedResponse>(await connection.RequestAsync(4, new OptionsRequest()));
        Assert.IsType<ReadyResponse>(await connection.RequestAsync(5, RawCqlConnection.Startup()));
        var rows = Assert.IsType<RowsResult>(await connection.RequestAsync(6, RawCqlConnection.Query("SELECT cluster_name FROM system.local")));

        Assert.Equal((CqlErrorCode.ProtocolError, "Unexpected message QUERY, expecting STARTUP or OPTIONS"), (early.Code, early.Message));
        Assert.Empty(supported.Options[StartupRequest.CompressionKey]);
        Assert.Equal(["3.4.5"], supported.Options["CQL_VERSION"]);
        Assert.Single(rows.Rows);
    }

    [Fact(Timeout = 30_000)]
    public async Task connections_registered_for_schema_changes_get_an_event_after_ddl_and_others_do_not()
    {
        await using var server = await StartAsync();
        await using var registered = await RawCqlConnection.ReadyAsync(server.Endpoint);
        await using var unregistered = await RawCqlConnection.ReadyAsync(server.Endpoint);
        await using var ddl = await RawCqlConnection.ReadyAsync(server.Endpoint);
        Assert.IsType<ReadyResponse>(await registered.RequestAsync(2, new RegisterRequest([CqlEventType.SchemaChange, CqlEventType.StatusChange])));

        var created = Assert.IsType<SchemaChangeResult>(await ddl.RequestAsync(9, RawCqlConnection.Query("CREATE TABLE streaming.added (k int PRIMARY KEY)")));

        var pushed = await registered.ReadAsync();
        Assert.Equal(-1, pushed!.Stream);
        var schemaEvent = Assert.IsType<SchemaChangeEvent>(Assert.IsType<EventResponse>(pushed.Message).Event);
        Assert.Equal(new SchemaChange(SchemaChangeType.Created, SchemaChangeTarget.Table, "streaming", "added"), schemaEvent.Change);
        Assert.Equal(schemaEvent.Change, created.Change);
        // The event is written before the DDL is answered, so an unregistered connection's next frame answers its own request.
        Assert.IsType<SupportedResponse>(await unregistered.RequestAsync(3, new OptionsRequest()));
    }

    [Fact(Timeout = 30_000)]
    public async Task engine_errors_keep_their_code_and_details_and_an_unencodable_one_becomes_server_error_on_a_live_connection()
    {
        await using var server = await StartAsync();
        await using var connection = await RawCqlConnection.ReadyAsync(server.Endpoint);
        var control = server.Engine.TestControl;
        control.FailNext(CqlStatementKind.Select, 1, CqlEngineException.WriteTimeout(CqlConsistency.One, 0, 1, "SIMPLE"));
        control.FailNext(CqlStatementKind.Insert, 1, new CqlEngineException(CqlErrorCode.Invalid, "details that do not fit", new UnavailableDetails(CqlConsistency.One, 1, 0)));

        var timeout = Assert.IsType<ErrorResponse>(await connection.RequestAsync(10, RawCqlConnection.Query("SELECT * FROM streaming.delivery_log")));
        var broken = Assert.IsType<ErrorResponse>(await connection.RequestAsync(11, RawCqlConnection.Query("INSERT INTO streaming.type_check (id, seq) VALUES ('x', 1)")));
        var after = await connection.RequestAsync(12, RawCqlConnection.Query("SELECT * FROM streaming.type_check"));

        Assert.Equal(new WriteTimeoutDetails(CqlConsistency.One, 0, 1, "SIMPLE"), timeout.Details);
        Assert.Equal(CqlErrorCode.ServerError, broken.Code);
        Assert.Contains("Invalid", broken.Message, StringComparison.Ordinal);
        Assert.IsType<RowsResult>(after);
    }

    [Fact(Timeout = 30_000)]
    public async Task answers_carry_their_request_stream_ids_when_a_slow_request_is_overtaken()
    {
        await using var server = await StartAsync();
        await using var connection = await RawCqlConnection.ReadyAsync(server.Endpoint);
        server.Engine.TestControl.DelayNext(CqlStatementKind.Select, 1, TimeSpan.FromMinutes(5), table: "streaming.delivery_log");

        await connection.SendAsync(20, RawCqlConnection.Query("SELECT * FROM streaming.delivery_log"));
        await Eventually.TrueAsync(() => server.Engine.TestControl.Received(CqlStatementKind.Select) == 1, TimeSpan.FromSeconds(10), "the slow SELECT reached the engine");
        await connection.SendAsync(21, RawCqlConnection.Query("SELECT * FROM streaming.type_check"));
        var first = await connection.ReadAsync();
        server.Engine.TestControl.Reset();
        var second = await connection.ReadAsync();

        Assert.Equal(((short)21, (short)20), (first!.Stream, second!.Stream));
        Assert.IsType<RowsResult>(second.Message);
    }

    [Fact(Timeout = 30_000)]
    public async Task execute_leaves_out_the_column_specs_when_the_client_asks_to_skip_metadata()
    {
        await using var server = await StartAsync();
        await using var connection = await RawCqlConnection.ReadyAsync(server.Endpoint);
        var prepared = Assert.IsType<PreparedResult>(await connection.RequestAsync(2, new PrepareRequest("SELECT seq, note FROM streaming.type_check WHERE id = ?")));
        var values = new QueryParameters { Consistency = CqlConsistency.One, Values = [CqlValue.Of("x"u8.ToArray())], PageSize = 100 };

        var full = Assert.IsType<RowsResult>(await connection.RequestAsync(3, new ExecuteRequest(prepared.Id, values)));
        var skipped = Assert.IsType<RowsResult>(await connection.RequestAsync(4, new ExecuteRequest(prepared.Id, values with { SkipMetadata = true })));

        Assert.Equal(["id"], prepared.Variables.Variables.Select(v => v.Name));
        Assert.Equal([0], prepared.Variables.PartitionKeyIndexes.Select(i => (int)i));
        Assert.Equal(["seq", "note"], prepared.ResultMetadata.Columns!.Select(c => c.Name));
        Assert.Equal(["seq", "note"], full.Metadata.Columns!.Select(c => c.Name));
        Assert.Equal((2, (IReadOnlyList<ColumnSpec>?)null), (skipped.Metadata.ColumnCount, skipped.Metadata.Columns));
    }
}
