namespace Streaming.LocalCql.Tests;

public sealed class WriteReadTests
{
    private const string Events = "CREATE TABLE events (id text, seq int, body text, attrs map<text, text>, at timestamp, PRIMARY KEY (id, seq))";

    [Fact]
    public void insert_is_an_upsert_and_select_star_returns_key_columns_then_the_others_by_name()
    {
        var harness = EngineHarness.WithKeyspace(Events);
        harness.Run("INSERT INTO events (id, seq, body) VALUES ('e1', 1, 'first')");
        harness.Run("INSERT INTO events (id, seq, body) VALUES ('e1', 1, 'second')");

        var result = harness.Rows("SELECT * FROM events");

        Assert.Equal(["id", "seq", "at", "attrs", "body"], result.Metadata.Columns!.Select(c => c.Name));
        Assert.All(result.Metadata.Columns!, c => Assert.Equal(("ks", "events"), (c.Keyspace, c.Table)));
        var row = Assert.Single(result.Rows);
        Assert.Equal("second", Bytes.AsText(row[4]));
        Assert.Null(row[2]);
    }

    [Fact]
    public void cells_keep_the_bytes_one_client_bound_for_another_client_to_read()
    {
        var harness = EngineHarness.WithKeyspace(Events);
        var attrs = Bytes.TextMap(("b", "2"), ("a", "1"));
        var at = Bytes.Timestamp(new DateTimeOffset(2025, 1, 2, 3, 4, 5, 678, TimeSpan.Zero));
        harness.Run("INSERT INTO events (id, seq, attrs, at) VALUES (?, ?, ?, ?)", Bytes.Text("e1"), Bytes.Int(7), attrs, at);

        var other = new EngineSession("ks");
        var row = Assert.IsType<RowsResult>(harness.Engine.Execute("SELECT attrs, at FROM events WHERE id = 'e1'", EngineHarness.Parameters(), other)).Rows[0];

        Assert.Equal(attrs.Bytes.ToArray(), Bytes.Cell(row[0]));
        Assert.Equal(at.Bytes.ToArray(), Bytes.Cell(row[1]));
    }

    [Fact]
    public void literals_are_stored_as_the_bytes_a_client_would_bind()
    {
        var harness = EngineHarness.WithKeyspace(Events);
        harness.Run("INSERT INTO events (id, seq, attrs, at) VALUES ('e1', 7, {'b': '2', 'a': '1'}, '2025-01-02T03:04:05.678Z')");
        harness.Run("INSERT INTO events (id, seq, at) VALUES ('e1', 8, 1735787045678)");

        var rows = harness.Rows("SELECT seq, attrs, at FROM events WHERE id = 'e1'").Rows;

        Assert.Equal(Bytes.Int(7).Bytes.ToArray(), Bytes.Cell(rows[0][0]));
        Assert.Equal(Bytes.TextMap(("a", "1"), ("b", "2")).Bytes.ToArray(), Bytes.Cell(rows[0][1]));
        Assert.Equal(Bytes.BigInt(1735787045678).Bytes.ToArray(), Bytes.Cell(rows[0][2]));
        Assert.Equal(Bytes.Cell(rows[0][2]), Bytes.Cell(rows[1][2]));
    }

    [Fact]
    public void now_and_to_timestamp_of_now_take_the_engine_clock()
    {
        var harness = EngineHarness.WithKeyspace("CREATE TABLE t (k int PRIMARY KEY, id timeuuid, at timestamp)");

        harness.Run("INSERT INTO t (k, id, at) VALUES (1, now(), toTimestamp(now()))");

        var row = harness.Rows("SELECT id, at FROM t").Rows[0];
        var now = harness.Time.GetUtcNow();
        Assert.Equal(now.ToUnixTimeMilliseconds(), Bytes.AsLong(row[1]));
        Assert.Equal(1, Types.TimeUuid.Version(Bytes.Cell(row[0])));
        Assert.Equal(Types.TimeUuid.Timestamp(Types.TimeUuid.Create(now)), Types.TimeUuid.Timestamp(Bytes.Cell(row[0])));
        Assert.Contains("Unknown function", harness.Fails("INSERT INTO t (k, at) VALUES (2, nosuch())").Message, StringComparison.Ordinal);
    }

    [Fact]
    public void every_primary_key_column_is_required_and_may_not_be_null()
    {
        var harness = EngineHarness.WithKeyspace(Events);

        Assert.Equal("Some partition key parts are missing: id", harness.Fails("INSERT INTO events (seq, body) VALUES (1, 'x')").Message);
        Assert.Equal("Some clustering keys are missing: seq", harness.Fails("INSERT INTO events (id, body) VALUES ('e', 'x')").Message);
        Assert.Equal(CqlErrorCode.Invalid, harness.Fails("INSERT INTO events (id, seq) VALUES (?, 1)", CqlValue.Null).Code);
        Assert.Equal(CqlErrorCode.Invalid, harness.Fails("INSERT INTO events (id, seq) VALUES ('e', ?)", CqlValue.Unset).Code);
        Assert.Equal(CqlErrorCode.Invalid, harness.Fails("INSERT INTO events (id, seq, nope) VALUES ('e', 1, 2)").Code);
    }

    [Fact]
    public void null_deletes_a_cell_and_unset_leaves_it()
    {
        var harness = EngineHarness.WithKeyspace(Events);
        harness.Run("INSERT INTO events (id, seq, body, at) VALUES ('e', 1, 'keep', 5)");

        harness.Run("INSERT INTO events (id, seq, body, at) VALUES ('e', 1, ?, ?)", CqlValue.Unset, CqlValue.Null);

        var row = harness.Rows("SELECT body, at FROM events WHERE id = 'e' AND seq = 1").Rows[0];
        Assert.Equal("keep", Bytes.AsText(row[0]));
        Assert.Null(row[1]);
    }

    [Fact]
    public void bound_values_of_the_wrong_size_or_encoding_are_invalid()
    {
        var harness = EngineHarness.WithKeyspace(Events);

        var wrongInt = harness.Fails("INSERT INTO events (id, seq) VALUES ('e', ?)", Bytes.Raw([1, 2, 3]));
        var badUtf8 = harness.Fails("INSERT INTO events (id, seq, body) VALUES ('e', 1, ?)", Bytes.Raw([0xC3, 0x28]));
        var badMap = harness.Fails("INSERT INTO events (id, seq, attrs) VALUES ('e', 1, ?)", Bytes.Raw([0, 0, 0, 1, 0, 0]));

        Assert.Contains("Expected 4 or 0 byte int (3)", wrongInt.Message, StringComparison.Ordinal);
        Assert.Equal(CqlErrorCode.Invalid, badUtf8.Code);
        Assert.Equal(CqlErrorCode.Invalid, badMap.Code);
        Assert.Equal("There were 1 markers(?) in CQL but 0 bound variables", harness.Fails("SELECT * FROM events WHERE id = ?").Message);
        Assert.Contains("Invalid STRING constant", harness.Fails("INSERT INTO events (id, seq) VALUES ('e', 'one')").Message, StringComparison.Ordinal);
    }

    [Fact]
    public void insert_if_not_exists_answers_applied_then_the_existing_row()
    {
        var harness = EngineHarness.WithKeyspace(Events);

        var first = harness.Rows("INSERT INTO events (id, seq, body) VALUES ('e', 1, 'a') IF NOT EXISTS");
        var second = harness.Rows("INSERT INTO events (id, seq, body) VALUES ('e', 1, 'b') IF NOT EXISTS");

        Assert.Equal("[applied]", Assert.Single(first.Metadata.Columns!).Name);
        Assert.True(Bytes.AsBool(first.Rows[0][0]));
        Assert.Equal(["[applied]", "id", "seq", "at", "attrs", "body"], second.Metadata.Columns!.Select(c => c.Name));
        Assert.False(Bytes.AsBool(second.Rows[0][0]));
        Assert.Equal("a", Bytes.AsText(second.Rows[0][5]));
        Assert.Equal(["a"], harness.TextColumn("SELECT body FROM events"));
    }

    [Fact]
    public void update_sets_cells_of_one_row_and_a_row_only_updated_vanishes_when_its_cells_are_nulled()
    {
        var harness = EngineHarness.WithKeyspace(Events);
        harness.Run("UPDATE events SET body = 'u', at = 3 WHERE id = 'e' AND seq = 1");

        Assert.Equal(["u"], harness.TextColumn("SELECT body FROM events WHERE id = 'e'"));
        harness.Run("UPDATE events SET body = null, at = null WHERE id = 'e' AND seq = 1");
        Assert.Empty(harness.Rows("SELECT * FROM events").Rows);

        Assert.Equal("Some clustering keys are missing: seq", harness.Fails("UPDATE events SET body = 'x' WHERE id = 'e'").Message);
        Assert.Contains("PRIMARY KEY part", harness.Fails("UPDATE events SET seq = 2 WHERE id = 'e' AND seq = 1").Message, StringComparison.Ordinal);
    }

    [Fact]
    public void inserted_rows_exist_with_only_key_columns()
    {
        var harness = EngineHarness.WithKeyspace(Events);
        harness.Run("INSERT INTO events (id, seq) VALUES ('e', 1)");

        Assert.Single(harness.Rows("SELECT * FROM events").Rows);
    }

    [Fact]
    public void delete_removes_a_row_a_clustering_slice_a_partition_or_named_cells()
    {
        var harness = EngineHarness.WithKeyspace(Events);
        for (var seq = 1; seq <= 5; seq++)
        {
            harness.Run("INSERT INTO events (id, seq, body) VALUES ('e', ?, 'b')", Bytes.Int(seq));
        }

        harness.Run("INSERT INTO events (id, seq, body) VALUES ('other', 1, 'b')");

        harness.Run("DELETE FROM events WHERE id = 'e' AND seq = 1");
        harness.Run("DELETE FROM events WHERE id = 'e' AND seq >= 4");
        harness.Run("DELETE body FROM events WHERE id = 'e' AND seq = 2");

        var remaining = harness.Rows("SELECT seq, body FROM events WHERE id = 'e'").Rows;
        Assert.Equal([2, 3], remaining.Select(r => Bytes.AsInt(r[0])));
        Assert.Null(remaining[0][1]);
        harness.Run("DELETE FROM events WHERE id = 'e'");
        Assert.Empty(harness.Rows("SELECT * FROM events WHERE id = 'e'").Rows);
        Assert.Single(harness.Rows("SELECT * FROM events").Rows);
        Assert.Contains("Range deletions", harness.Fails("DELETE body FROM events WHERE id = 'e'").Message, StringComparison.Ordinal);
    }

    [Fact]
    public void writes_with_an_older_timestamp_lose_to_newer_ones_and_writetime_reports_it()
    {
        var harness = EngineHarness.WithKeyspace(Events);
        harness.Run("INSERT INTO events (id, seq, body) VALUES ('e', 1, 'new') USING TIMESTAMP 2000");
        harness.Run("INSERT INTO events (id, seq, body) VALUES ('e', 1, 'old') USING TIMESTAMP 1000");

        var row = harness.Rows("SELECT body, WRITETIME(body) FROM events").Rows[0];

        Assert.Equal("new", Bytes.AsText(row[0]));
        Assert.Equal(2000, Bytes.AsLong(row[1]));
    }

    [Fact]
    public void count_counts_matching_rows_up_to_the_limit()
    {
        var harness = EngineHarness.WithKeyspace(Events);
        for (var seq = 1; seq <= 4; seq++)
        {
            harness.Run("INSERT INTO events (id, seq) VALUES ('e', ?)", Bytes.Int(seq));
        }

        var count = harness.Rows("SELECT COUNT(*) FROM events WHERE id = 'e'");

        Assert.Equal(("count", "bigint"), (count.Metadata.Columns![0].Name, count.Metadata.Columns![0].Type.ToString()));
        Assert.Equal(4, Bytes.AsLong(count.Rows[0][0]));
        Assert.Equal(2, Bytes.AsLong(harness.Rows("SELECT count(*) FROM events LIMIT 2").Rows[0][0]));
    }

    [Fact]
    public void a_batch_applies_all_entries_or_none()
    {
        var harness = EngineHarness.WithKeyspace(Events);
        var insert = harness.Engine.Prepare("INSERT INTO events (id, seq, body) VALUES (?, ?, ?)", "ks");

        harness.Batch(
            BatchType.Logged,
            BatchQuery.Prepared(insert.Id, [Bytes.Text("e"), Bytes.Int(1), Bytes.Text("a")]),
            BatchQuery.Simple("INSERT INTO events (id, seq, body) VALUES ('e', 2, 'b')", []));
        var failed = Assert.Throws<CqlEngineException>(() => harness.Batch(
            BatchType.Unlogged,
            BatchQuery.Simple("INSERT INTO events (id, seq, body) VALUES ('e', 3, 'c')", []),
            BatchQuery.Simple("INSERT INTO events (id, body) VALUES ('e', 'no seq')", [])));

        Assert.Equal(CqlErrorCode.Invalid, failed.Code);
        Assert.Equal(["a", "b"], harness.TextColumn("SELECT body FROM events WHERE id = 'e'"));
    }

    [Fact]
    public void batch_text_applies_its_statements_and_batches_refuse_reads_and_counters()
    {
        var harness = EngineHarness.WithKeyspace(Events);

        harness.Run("BEGIN BATCH INSERT INTO events (id, seq, body) VALUES ('e', 1, ?); UPDATE events SET body = 'b' WHERE id = 'e' AND seq = 2; APPLY BATCH", Bytes.Text("a"));

        Assert.Equal(["a", "b"], harness.TextColumn("SELECT body FROM events WHERE id = 'e'"));
        var read = Assert.Throws<CqlEngineException>(() => harness.Batch(BatchType.Logged, BatchQuery.Simple("SELECT * FROM events", [])));
        Assert.Contains("only UPDATE, INSERT and DELETE", read.Message, StringComparison.Ordinal);
        var counter = Assert.Throws<CqlEngineException>(() => harness.Batch(
            BatchType.Counter, BatchQuery.Simple("INSERT INTO events (id, seq) VALUES ('e', 9)", [])));
        Assert.Equal(CqlErrorCode.Invalid, counter.Code);
    }
}
