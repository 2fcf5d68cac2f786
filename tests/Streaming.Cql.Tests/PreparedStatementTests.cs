using Streaming.Cql.Protocol;
using Streaming.Cql.Statements;
using Streaming.Cql.Tests.Support;
using Streaming.Cql.Types;

namespace Streaming.Cql.Tests;

public class PreparedStatementTests
{
    private const string Insert = "INSERT INTO t (k, v) VALUES (?, ?)";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact(Timeout = 30_000)]
    public async Task preparing_the_same_query_twice_costs_one_round_trip()
    {
        await using var server = new ScriptedCqlServer();
        await using var session = await CqlSession.ConnectAsync(TestOptions.For(server), TestLoggerFactory.Instance, Ct);

        var concurrent = await Task.WhenAll(session.PrepareAsync(Insert, Ct), session.PrepareAsync(Insert, Ct));
        var later = await session.PrepareAsync(Insert, Ct);

        Assert.Same(concurrent[0], concurrent[1]);
        Assert.Same(concurrent[0], later);
        Assert.Single(server.ReceivedOf<PrepareRequest>());
        Assert.Equal(ScriptedCqlServer.PreparedIdOf(Insert), later.Id);
        Assert.Equal(["v0", "v1"], later.Variables.Select(v => v.Name));
    }

    [Fact(Timeout = 30_000)]
    public async Task an_unprepared_answer_is_reprepared_on_that_host_and_executed_once_more()
    {
        await using var server = new ScriptedCqlServer();
        await using var session = await CqlSession.ConnectAsync(TestOptions.For(server), TestLoggerFactory.Instance, Ct);
        var prepared = await session.PrepareAsync(Insert, Ct);
        server.ForgetPrepared();
        var before = server.Received.Count;

        await session.ExecuteAsync(prepared.Bind("k1", "v1"), Ct);

        var after = server.Received.Skip(before).Select(r => r.Message).ToList();
        Assert.Collection(after,
            m => Assert.IsType<ExecuteRequest>(m),
            m => Assert.Equal(Insert, Assert.IsType<PrepareRequest>(m).Query),
            m => Assert.Equal(["k1", "v1"], Assert.IsType<ExecuteRequest>(m).Parameters.Values.Select(TestRows.TextOf)));
    }

    [Fact(Timeout = 30_000)]
    public async Task a_host_that_stays_unprepared_surfaces_the_error_after_one_reprepare()
    {
        await using var server = new ScriptedCqlServer();
        await using var session = await CqlSession.ConnectAsync(TestOptions.For(server), TestLoggerFactory.Instance, Ct);
        var prepared = await session.PrepareAsync(Insert, Ct);
        server.Handler = r => r.Message is ExecuteRequest execute
            ? r.FailAsync(CqlErrorCode.Unprepared, "still unknown", new UnpreparedDetails(execute.Id))
            : server.DefaultAsync(r);

        var error = await Assert.ThrowsAsync<CqlServerException>(() => session.ExecuteAsync(prepared.Bind("k", "v"), Ct));

        Assert.Equal(CqlErrorCode.Unprepared, error.Code);
        Assert.Equal(2, server.ReceivedOf<ExecuteRequest>().Count());
    }

    [Fact(Timeout = 30_000)]
    public async Task an_unlogged_batch_mixes_prepared_and_simple_statements_and_reprepares_its_prepared_ones()
    {
        await using var server = new ScriptedCqlServer();
        await using var session = await CqlSession.ConnectAsync(TestOptions.For(server), TestLoggerFactory.Instance, Ct);
        var prepared = await session.PrepareAsync(Insert, Ct);
        server.ForgetPrepared();

        var batch = new BatchStatement(BatchType.Unlogged)
            .Add(prepared.Bind("k1", "v1"))
            .Add(new SimpleStatement("DELETE FROM t WHERE k = ?", "k0"))
            .Add(prepared.Bind("k2", null))
            .WithConsistency(CqlConsistency.LocalOne);
        await session.ExecuteAsync(batch, Ct);

        var sent = server.ReceivedOf<BatchRequest>().Select(r => (BatchRequest)r.Message).ToList();
        Assert.Equal(2, sent.Count);
        var last = sent[1];
        Assert.Equal((BatchType.Unlogged, CqlConsistency.LocalOne), (last.Type, last.Consistency));
        Assert.Equal(ScriptedCqlServer.PreparedIdOf(Insert), last.Queries[0].PreparedId!.Value.ToArray());
        Assert.Equal("DELETE FROM t WHERE k = ?", last.Queries[1].Query);
        Assert.True(last.Queries[2].Values[1].IsNull);
        Assert.NotNull(last.DefaultTimestamp);
        Assert.Single(server.ReceivedOf<PrepareRequest>().Skip(1));
    }

    [Fact]
    public void bind_encodes_by_column_type_and_names_the_variable_on_a_wrong_type_or_count()
    {
        var result = new PreparedResult(new byte[] { 1 }, new PreparedMetadata(
            [new ColumnSpec("ks", "t", "event_id", CqlType.Text), new ColumnSpec("ks", "t", "occurred_at", CqlType.Timestamp), new ColumnSpec("ks", "t", "attempt", CqlType.Int)], [0]),
            RowsMetadata.Empty);
        var prepared = new PreparedStatement("INSERT ...", "ks", result);

        var bound = prepared.Bind("e1", DateTimeOffset.FromUnixTimeMilliseconds(1), CqlUnset.Value);
        Assert.Equal([0, 0, 0, 0, 0, 0, 0, 1], bound.Values[1].Bytes.ToArray());
        Assert.True(bound.Values[2].IsUnset);

        var wrongType = Assert.Throws<ArgumentException>(() => prepared.Bind("e1", "yesterday", 1));
        Assert.Contains("'occurred_at'", wrongType.Message, StringComparison.Ordinal);
        Assert.Contains("timestamp", wrongType.Message, StringComparison.Ordinal);
        var wrongCount = Assert.Throws<ArgumentException>(() => prepared.Bind("e1"));
        Assert.Contains("event_id, occurred_at, attempt", wrongCount.Message, StringComparison.Ordinal);
    }
}
