
namespace Streaming.LocalCql.Tests;

public sealed class TestControlTests
{
    private const string Table = "CREATE TABLE t (k int PRIMARY KEY, v text)";

    [Fact]
    public void the_next_n_matching_statements_fail_with_the_injected_error_then_execute_again()
    {
        var harness = EngineHarness.WithKeyspace(Table);
        harness.Engine.TestControl.FailNext(CqlStatementKind.Insert, 2, CqlEngineException.WriteTimeout(CqlConsistency.One, 0, 1, "SIMPLE"));

        var first = harness.Fails("INSERT INTO t (k, v) VALUES (1, 'a')");
        var second = harness.Fails("INSERT INTO t (k, v) VALUES (1, 'a')");
        harness.Run("INSERT INTO t (k, v) VALUES (1, 'a')");

        Assert.Equal(CqlErrorCode.WriteTimeout, first.Code);
        Assert.Equal(new WriteTimeoutDetails(CqlConsistency.One, 0, 1, "SIMPLE"), first.Details);
        Assert.NotSame(first, second);
        Assert.Single(harness.Rows("SELECT * FROM t").Rows);
        Assert.Equal(3, harness.Engine.TestControl.Received(CqlStatementKind.Insert));
    }

    [Fact]
    public void failures_target_a_kind_and_optionally_a_table_and_leave_system_tables_alone()
    {
        var harness = EngineHarness.WithKeyspace(Table, "CREATE TABLE other (k int PRIMARY KEY)");
        harness.Engine.TestControl.FailNext(CqlStatementKind.Select, 1, CqlEngineException.ReadTimeout(CqlConsistency.One, 0, 1, false), table: "ks.other");
        harness.Engine.TestControl.FailNext(CqlStatementKind.Select, 1, CqlEngineException.Unavailable(CqlConsistency.One, 1, 0));

        harness.Rows("SELECT * FROM system.local");
        harness.Run("INSERT INTO t (k) VALUES (1)");
        var unavailable = harness.Fails("SELECT * FROM t");
        harness.Rows("SELECT * FROM t");
        var readTimeout = harness.Fails("SELECT * FROM other");

        Assert.Equal(new UnavailableDetails(CqlConsistency.One, 1, 0), unavailable.Details);
        Assert.Equal(CqlErrorCode.ReadTimeout, readTimeout.Code);
        Assert.Equal(4, harness.Engine.TestControl.Received(CqlStatementKind.Select));
    }

    [Fact]
    public void the_consistency_of_the_last_request_of_each_kind_is_recorded()
    {
        var harness = EngineHarness.WithKeyspace(Table);
        harness.Engine.Execute("INSERT INTO t (k) VALUES (1)", EngineHarness.Parameters() with { Consistency = CqlConsistency.LocalQuorum }, harness.Session);

        Assert.Equal(CqlConsistency.LocalQuorum, harness.Engine.TestControl.LastConsistency(CqlStatementKind.Insert));
        Assert.Null(harness.Engine.TestControl.LastConsistency(CqlStatementKind.Delete));
    }

    [Fact]
    public void prepares_batches_and_schema_statements_are_counted_and_can_fail()
    {
        var harness = EngineHarness.WithKeyspace(Table);
        harness.Engine.TestControl.FailNext(CqlStatementKind.Batch, 1, CqlEngineException.Overloaded());
        harness.Engine.TestControl.FailNext(CqlStatementKind.Prepare, 1, CqlEngineException.ServerError());

        Assert.Equal(CqlErrorCode.ServerError, Assert.Throws<CqlEngineException>(() => harness.Engine.Prepare("SELECT * FROM t", "ks")).Code);
        harness.Engine.Prepare("SELECT * FROM t", "ks");
        var overloaded = Assert.Throws<CqlEngineException>(() => harness.Batch(
            BatchType.Logged, BatchQuery.Simple("INSERT INTO t (k) VALUES (1)", [])));

        Assert.Equal(CqlErrorCode.Overloaded, overloaded.Code);
        Assert.Equal(2, harness.Engine.TestControl.Received(CqlStatementKind.Prepare));
        Assert.Equal(1, harness.Engine.TestControl.Received(CqlStatementKind.Batch));
        Assert.Equal(2, harness.Engine.TestControl.Received(CqlStatementKind.Schema));
        Assert.Equal(1, harness.Engine.TestControl.Received(CqlStatementKind.Use));
    }

    [Fact(Timeout = TestLimits.TimeoutMs)]
    public async Task a_delayed_statement_waits_for_the_clock_to_pass_its_delay()
    {
        var harness = EngineHarness.WithKeyspace(Table);
        harness.Engine.TestControl.DelayNext(CqlStatementKind.Insert, 1, TimeSpan.FromSeconds(5));

        var insert = Task.Run(() => harness.Run("INSERT INTO t (k) VALUES (1)"), TestContext.Current.CancellationToken);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (harness.Engine.TestControl.Received(CqlStatementKind.Insert) == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10, TestContext.Current.CancellationToken);
        }

        harness.Time.Advance(TimeSpan.FromSeconds(4));
        Assert.False(insert.IsCompleted);
        Assert.Empty(harness.Rows("SELECT * FROM t").Rows);
        harness.Time.Advance(TimeSpan.FromSeconds(1));
        await insert.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        Assert.Single(harness.Rows("SELECT * FROM t").Rows);
    }

    [Fact(Timeout = TestLimits.TimeoutMs)]
    public async Task reset_releases_delayed_statements_and_clears_rules_and_counts()
    {
        var harness = EngineHarness.WithKeyspace(Table);
        harness.Engine.TestControl.DelayNext(CqlStatementKind.Insert, 1, TimeSpan.FromHours(1));
        harness.Engine.TestControl.FailNext(CqlStatementKind.Select, 1, CqlEngineException.Overloaded());
        var insert = Task.Run(() => harness.Run("INSERT INTO t (k) VALUES (1)"), TestContext.Current.CancellationToken);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (harness.Engine.TestControl.Received(CqlStatementKind.Insert) == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10, TestContext.Current.CancellationToken);
        }

        harness.Engine.TestControl.Reset();

        await insert.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        Assert.Single(harness.Rows("SELECT * FROM t").Rows);
        Assert.Equal(0, harness.Engine.TestControl.Received(CqlStatementKind.Insert));
    }
}
