namespace Streaming.LocalCql.Tests;

public sealed class PagingTests
{
    private static EngineHarness WithRows(int partitions, int rowsEach)
    {
        var harness = EngineHarness.WithKeyspace("CREATE TABLE t (k int, c int, v text, PRIMARY KEY (k, c))");
        for (var k = 0; k < partitions; k++)
        {
            for (var c = 0; c < rowsEach; c++)
            {
                harness.Run("INSERT INTO t (k, c, v) VALUES (?, ?, ?)", Bytes.Int(k), Bytes.Int(c), Bytes.Text($"{k}:{c}"));
            }
        }

        return harness;
    }

    private static List<string> ReadAllPages(EngineHarness harness, string cql, int pageSize, out int pages, Action<int>? betweenPages = null)
    {
        var seen = new List<string>();
        ReadOnlyMemory<byte>? state = null;
        pages = 0;
        do
        {
            var page = harness.Page(cql, pageSize, state);
            Assert.True(page.Rows.Count <= pageSize);
            seen.AddRange(page.Rows.Select(r => Bytes.AsText(r[0])));
            state = page.Metadata.PagingState;
            pages++;
            betweenPages?.Invoke(pages);
        }
        while (state is not null);

        return seen;
    }

    [Fact]
    public void pages_of_a_scan_resume_exactly_after_the_last_row_across_partitions()
    {
        var harness = WithRows(partitions: 3, rowsEach: 4);
        var all = harness.TextColumn("SELECT v FROM t");

        var paged = ReadAllPages(harness, "SELECT v FROM t", pageSize: 5, out var pages);

        Assert.Equal(12, all.Count);
        Assert.Equal(all, paged);
        Assert.Equal(3, pages);
    }

    [Fact]
    public void a_page_that_ends_exactly_at_the_last_row_carries_no_paging_state()
    {
        var harness = WithRows(partitions: 1, rowsEach: 4);

        var page = harness.Page("SELECT v FROM t WHERE k = 0", 4, null);

        Assert.Equal(4, page.Rows.Count);
        Assert.Null(page.Metadata.PagingState);
    }

    [Fact]
    public void rows_inserted_between_pages_before_the_position_do_not_shift_or_repeat_rows()
    {
        var harness = WithRows(partitions: 1, rowsEach: 6);
        harness.Run("DELETE FROM t WHERE k = 0 AND c = 1");

        var paged = ReadAllPages(harness, "SELECT v FROM t WHERE k = 0", pageSize: 2, out _, page =>
        {
            if (page == 1)
            {
                harness.Run("INSERT INTO t (k, c, v) VALUES (0, 1, 'late')");
                harness.Run("INSERT INTO t (k, c, v) VALUES (0, 99, 'after')");
            }
        });

        Assert.Equal(["0:0", "0:2", "0:3", "0:4", "0:5", "after"], paged);
    }

    [Fact]
    public void limit_caps_the_total_across_pages()
    {
        var harness = WithRows(partitions: 2, rowsEach: 5);

        var paged = ReadAllPages(harness, "SELECT v FROM t LIMIT 7", pageSize: 3, out var pages);

        Assert.Equal(harness.TextColumn("SELECT v FROM t").Take(7), paged);
        Assert.Equal(3, pages);
    }

    [Fact]
    public void reversed_reads_page_backwards_through_the_partition()
    {
        var harness = WithRows(partitions: 1, rowsEach: 5);

        var paged = ReadAllPages(harness, "SELECT v FROM t WHERE k = 0 ORDER BY c DESC", pageSize: 2, out _);

        Assert.Equal(["0:4", "0:3", "0:2", "0:1", "0:0"], paged);
    }

    [Fact]
    public void without_a_page_size_every_row_comes_back_at_once()
    {
        var harness = WithRows(partitions: 3, rowsEach: 40);

        var result = harness.Rows("SELECT v FROM t");

        Assert.Equal(120, result.Rows.Count);
        Assert.Null(result.Metadata.PagingState);
    }

    [Fact]
    public void a_paging_state_the_engine_did_not_write_is_a_protocol_error()
    {
        var harness = WithRows(partitions: 1, rowsEach: 2);

        var error = Assert.Throws<CqlEngineException>(() => harness.Page("SELECT v FROM t", 1, new byte[] { 9, 9, 9 }));

        Assert.Equal(CqlErrorCode.ProtocolError, error.Code);
    }
}
