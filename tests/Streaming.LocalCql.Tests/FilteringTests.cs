namespace Streaming.LocalCql.Tests;

public sealed class FilteringTests
{
    private const string Table = "CREATE TABLE t (a int, b int, c int, d int, v text, PRIMARY KEY ((a, b), c, d))";

    private static EngineHarness Filled()
    {
        var harness = EngineHarness.WithKeyspace(Table);
        for (var i = 0; i < 4; i++)
        {
            harness.Run("INSERT INTO t (a, b, c, d, v) VALUES (1, 1, ?, ?, ?)", Bytes.Int(i % 2), Bytes.Int(i), Bytes.Text(i % 2 == 0 ? "even" : "odd"));
        }

        return harness;
    }

    [Theory]
    [InlineData("SELECT * FROM t WHERE a = 1")]
    [InlineData("SELECT * FROM t WHERE v = 'odd'")]
    [InlineData("SELECT * FROM t WHERE c = 1")]
    [InlineData("SELECT * FROM t WHERE a = 1 AND b = 1 AND v = 'odd'")]
    public void queries_that_need_filtering_are_invalid_with_cassandras_message(string cql)
    {
        var error = Filled().Fails(cql);

        Assert.Equal(CqlErrorCode.Invalid, error.Code);
        Assert.StartsWith("Cannot execute this query as it might involve data filtering", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void restricting_a_clustering_column_after_a_gap_or_a_slice_is_invalid()
    {
        var harness = Filled();

        Assert.Equal("PRIMARY KEY column \"d\" cannot be restricted as preceding column \"c\" is not restricted",
            harness.Fails("SELECT * FROM t WHERE a = 1 AND b = 1 AND d = 2").Message);
        Assert.Contains("preceding column \"c\" is restricted by a non-EQ relation",
            harness.Fails("SELECT * FROM t WHERE a = 1 AND b = 1 AND c > 0 AND d = 2").Message, StringComparison.Ordinal);
        Assert.Contains("Only EQ and IN relation are supported on the partition key",
            harness.Fails("SELECT * FROM t WHERE a > 0 AND b = 1").Message, StringComparison.Ordinal);
        Assert.Contains("cannot be restricted by more than one relation",
            harness.Fails("SELECT * FROM t WHERE a = 1 AND b = 1 AND c = 1 AND c = 0").Message, StringComparison.Ordinal);
        Assert.Equal("Undefined column name nope in table ks.t", harness.Fails("SELECT * FROM t WHERE nope = 1").Message);
    }

    [Fact]
    public void allow_filtering_runs_the_same_queries_and_filters_rows()
    {
        var harness = Filled();

        Assert.Equal(["odd", "odd"], harness.TextColumn("SELECT v FROM t WHERE v = 'odd' ALLOW FILTERING"));
        Assert.Equal(["even", "even"], harness.TextColumn("SELECT v FROM t WHERE c = 0 ALLOW FILTERING"));
        Assert.Equal(["odd"], harness.TextColumn("SELECT v FROM t WHERE a = 1 AND b = 1 AND d = 3 ALLOW FILTERING"));
        Assert.Equal(4, harness.Rows("SELECT v FROM t WHERE a = 1 ALLOW FILTERING").Rows.Count);
    }

    [Fact]
    public void order_by_needs_the_partition_key_and_clustering_columns_in_order()
    {
        var harness = Filled();

        Assert.Contains("ORDER BY is only supported when the partition key is restricted",
            harness.Fails("SELECT * FROM t ORDER BY c").Message, StringComparison.Ordinal);
        Assert.Contains("following their declared order",
            harness.Fails("SELECT * FROM t WHERE a = 1 AND b = 1 ORDER BY d").Message, StringComparison.Ordinal);
        Assert.Contains("only supported on the clustered columns",
            harness.Fails("SELECT * FROM t WHERE a = 1 AND b = 1 ORDER BY v").Message, StringComparison.Ordinal);
        Assert.Equal("Unsupported order by relation", harness.Fails("SELECT * FROM t WHERE a = 1 AND b = 1 ORDER BY c ASC, d DESC").Message);
        Assert.Equal("LIMIT must be strictly positive", harness.Fails("SELECT * FROM t LIMIT 0").Message);
    }
}
