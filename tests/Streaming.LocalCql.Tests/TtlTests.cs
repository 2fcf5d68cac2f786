namespace Streaming.LocalCql.Tests;

public sealed class TtlTests
{
    private const string Table = "CREATE TABLE t (k int, c int, a text, b text, PRIMARY KEY (k, c))";

    [Fact]
    public void cells_written_with_a_ttl_disappear_when_it_elapses_and_the_row_with_them()
    {
        var harness = EngineHarness.WithKeyspace(Table);
        harness.Run("INSERT INTO t (k, c, a) VALUES (1, 1, 'x') USING TTL 10");

        harness.Time.Advance(TimeSpan.FromSeconds(9));
        Assert.Single(harness.Rows("SELECT * FROM t").Rows);
        harness.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.Empty(harness.Rows("SELECT * FROM t").Rows);
        Assert.Equal(0, Bytes.AsLong(harness.Rows("SELECT COUNT(*) FROM t").Rows[0][0]));
    }

    [Fact]
    public void ttl_is_per_cell_so_a_later_write_without_ttl_keeps_the_row_alive()
    {
        var harness = EngineHarness.WithKeyspace(Table);
        harness.Run("INSERT INTO t (k, c, a) VALUES (1, 1, 'short') USING TTL 5");
        harness.Run("UPDATE t SET b = 'forever' WHERE k = 1 AND c = 1");

        harness.Time.Advance(TimeSpan.FromSeconds(6));

        var row = Assert.Single(harness.Rows("SELECT a, b FROM t").Rows);
        Assert.Null(row[0]);
        Assert.Equal("forever", Bytes.AsText(row[1]));
    }

    [Fact]
    public void ttl_function_reports_the_seconds_left_and_null_without_a_ttl()
    {
        var harness = EngineHarness.WithKeyspace(Table);
        harness.Run("INSERT INTO t (k, c, a) VALUES (1, 1, 'x') USING TTL ?", Bytes.Int(100));
        harness.Run("UPDATE t SET b = 'y' WHERE k = 1 AND c = 1");

        harness.Time.Advance(TimeSpan.FromSeconds(30));
        var result = harness.Rows("SELECT TTL(a), ttl(b) FROM t");

        Assert.Equal(["ttl(a)", "ttl(b)"], result.Metadata.Columns!.Select(c => c.Name));
        Assert.Equal(70, Bytes.AsInt(result.Rows[0][0]));
        Assert.Null(result.Rows[0][1]);
        Assert.Contains("PRIMARY KEY part", harness.Fails("SELECT TTL(c) FROM t").Message, StringComparison.Ordinal);
    }

    [Fact]
    public void default_time_to_live_applies_unless_the_write_says_otherwise()
    {
        var harness = EngineHarness.WithKeyspace("CREATE TABLE t (k int PRIMARY KEY, v text) WITH default_time_to_live = 60");
        harness.Run("INSERT INTO t (k, v) VALUES (1, 'default')");
        harness.Run("INSERT INTO t (k, v) VALUES (2, 'never') USING TTL 0");
        harness.Run("INSERT INTO t (k, v) VALUES (3, 'longer') USING TTL 120");

        harness.Time.Advance(TimeSpan.FromSeconds(61));

        Assert.Equal(["longer", "never"], harness.TextColumn("SELECT v FROM t").Order(StringComparer.Ordinal));
    }

    [Fact]
    public void an_expired_row_makes_room_for_insert_if_not_exists()
    {
        var harness = EngineHarness.WithKeyspace(Table);
        harness.Run("INSERT INTO t (k, c, a) VALUES (1, 1, 'old') USING TTL 1");
        harness.Time.Advance(TimeSpan.FromSeconds(2));

        var applied = harness.Rows("INSERT INTO t (k, c, a) VALUES (1, 1, 'new') IF NOT EXISTS");

        Assert.True(Bytes.AsBool(applied.Rows[0][0]));
    }

    [Theory]
    [InlineData("INSERT INTO t (k, c) VALUES (1, 1) USING TTL -1", "A TTL must be greater or equal to 0")]
    [InlineData("INSERT INTO t (k, c) VALUES (1, 1) USING TTL 630720001", "ttl is too large")]
    public void out_of_range_ttls_are_invalid(string cql, string message)
    {
        Assert.Contains(message, EngineHarness.WithKeyspace(Table).Fails(cql).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void server_side_write_timestamps_come_from_the_clock_and_client_timestamps_win_when_given()
    {
        var harness = EngineHarness.WithKeyspace(Table);
        harness.Run("INSERT INTO t (k, c, a) VALUES (1, 1, 'x')");
        harness.Engine.Execute("INSERT INTO t (k, c, a) VALUES (1, 2, 'y')", EngineHarness.Parameters() with { DefaultTimestamp = 123 }, harness.Session);

        var times = harness.Rows("SELECT WRITETIME(a) FROM t WHERE k = 1").Rows.Select(r => Bytes.AsLong(r[0])).ToList();

        Assert.Equal(harness.Time.GetUtcNow().ToUnixTimeMilliseconds() * 1000, times[0]);
        Assert.Equal(123, times[1]);
    }
}
