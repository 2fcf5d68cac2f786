using Streaming.Cql.Protocol;
using Streaming.Cql.Requests;
using Streaming.Cql.Statements;
using Streaming.Cql.Tests.Support;

namespace Streaming.Cql.Tests;

public class RetryTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Task Overloaded(ServerRequest r) => r.FailAsync(CqlErrorCode.Overloaded, "too busy");

    private static Task Ok(ServerRequest r) => r.ReplyAsync(TestRows.Text(["v"], [["ok"]]));

    [Fact(Timeout = 30_000)]
    public async Task an_idempotent_statement_answered_overloaded_is_retried_on_the_next_host_with_the_same_timestamp()
    {
        await using var busy = new ScriptedCqlServer { Handler = Overloaded };
        await using var healthy = new ScriptedCqlServer { Handler = Ok };
        await using var session = await CqlSession.ConnectAsync(TestOptions.For(busy, healthy), cancellationToken: Ct);

        // Round-robin plans start on each host in turn, so four executions meet the busy host first at least once.
        for (var i = 0; i < 4; i++)
        {
            var rows = await session.ExecuteAsync(new SimpleStatement("INSERT ?", "x").WithIdempotence(true), Ct);
            Assert.Equal(healthy.Endpoint, rows.Coordinator);
        }

        var retried = busy.ReceivedOf<QueryRequest>().First();
        var retry = healthy.ReceivedOf<QueryRequest>().First(r => r.Received(after: retried));
        Assert.NotNull(retried.Parameters!.DefaultTimestamp);
        Assert.Equal(retried.Parameters.DefaultTimestamp, retry.Parameters!.DefaultTimestamp);
    }

    [Fact(Timeout = 30_000)]
    public async Task a_non_idempotent_statement_is_not_retried_after_it_was_sent()
    {
        await using var first = new ScriptedCqlServer { Handler = Overloaded };
        await using var second = new ScriptedCqlServer { Handler = Overloaded };
        await using var session = await CqlSession.ConnectAsync(TestOptions.For(first, second), cancellationToken: Ct);

        var error = await Assert.ThrowsAsync<CqlServerException>(() => session.ExecuteAsync(new SimpleStatement("INSERT ?", "x"), Ct));

        Assert.Equal(CqlErrorCode.Overloaded, error.Code);
        Assert.Equal(1, first.ReceivedOf<QueryRequest>().Count() + second.ReceivedOf<QueryRequest>().Count());
    }

    [Fact(Timeout = 30_000)]
    public async Task server_errors_surface_their_code_message_and_extra_fields()
    {
        await using var server = new ScriptedCqlServer
        {
            Handler = r => r.Query == "bad"
                ? r.FailAsync(CqlErrorCode.Invalid, "unknown column x")
                : r.FailAsync(CqlErrorCode.WriteTimeout, "timed out", new WriteTimeoutDetails(CqlConsistency.LocalQuorum, 1, 2, "COUNTER")),
        };
        await using var session = await CqlSession.ConnectAsync(TestOptions.For(server), TestLoggerFactory.Instance, Ct);

        var invalid = await Assert.ThrowsAsync<CqlServerException>(() => session.ExecuteAsync("bad", Ct));
        Assert.Equal((CqlErrorCode.Invalid, "unknown column x", server.Endpoint), (invalid.Code, invalid.ServerMessage, invalid.Host));
        Assert.Contains("unknown column x", invalid.Message, StringComparison.Ordinal);

        var timeout = await Assert.ThrowsAsync<CqlServerException>(() => session.ExecuteAsync(new SimpleStatement("UPDATE c").WithIdempotence(true), Ct));
        Assert.Equal(new WriteTimeoutDetails(CqlConsistency.LocalQuorum, 1, 2, "COUNTER"), timeout.Details);
        Assert.Single(server.ReceivedOf<QueryRequest>(), r => r.Query == "UPDATE c");
    }

    [Fact(Timeout = 30_000)]
    public async Task unavailable_is_retried_once_on_the_next_host()
    {
        static Task Unavailable(ServerRequest r) => r.FailAsync(CqlErrorCode.Unavailable, "not enough replicas", new UnavailableDetails(CqlConsistency.LocalQuorum, 2, 1));
        await using var a = new ScriptedCqlServer { Handler = Unavailable };
        await using var b = new ScriptedCqlServer { Handler = Unavailable };
        await using var c = new ScriptedCqlServer { Handler = Unavailable };
        await using var session = await CqlSession.ConnectAsync(TestOptions.For(a, b, c), cancellationToken: Ct);

        var error = await Assert.ThrowsAsync<CqlServerException>(() => session.ExecuteAsync("INSERT", Ct));

        Assert.Equal(new UnavailableDetails(CqlConsistency.LocalQuorum, 2, 1), error.Details);
        Assert.Equal(2, new[] { a, b, c }.Sum(s => s.ReceivedOf<QueryRequest>().Count()));
    }

    [Fact(Timeout = 30_000)]
    public async Task a_read_timeout_with_enough_replicas_but_no_data_is_retried_once_on_the_same_host()
    {
        var attempts = 0;
        await using var server = new ScriptedCqlServer
        {
            Handler = r => Interlocked.Increment(ref attempts) == 1
                ? r.FailAsync(CqlErrorCode.ReadTimeout, "read timeout", new ReadTimeoutDetails(CqlConsistency.LocalQuorum, 2, 2, DataPresent: false))
                : Ok(r),
        };
        await using var session = await CqlSession.ConnectAsync(TestOptions.For(server), TestLoggerFactory.Instance, Ct);

        var rows = await session.ExecuteAsync("SELECT", Ct);

        Assert.Equal("ok", rows[0].GetString("v"));
        Assert.Equal(2, attempts);
    }

    public static TheoryData<string, Exception, bool, RetryDecision> Decisions => new()
    {
        { "read timeout, data missing", Server(CqlErrorCode.ReadTimeout, new ReadTimeoutDetails(CqlConsistency.One, 1, 1, false)), false, RetryDecision.RetrySameHost },
        { "read timeout, too few replicas", Server(CqlErrorCode.ReadTimeout, new ReadTimeoutDetails(CqlConsistency.Quorum, 1, 2, false)), true, RetryDecision.Rethrow },
        { "write timeout SIMPLE idempotent", Server(CqlErrorCode.WriteTimeout, new WriteTimeoutDetails(CqlConsistency.One, 0, 1, "SIMPLE")), true, RetryDecision.RetrySameHost },
        { "write timeout BATCH_LOG idempotent", Server(CqlErrorCode.WriteTimeout, new WriteTimeoutDetails(CqlConsistency.One, 0, 1, "BATCH_LOG")), true, RetryDecision.RetrySameHost },
        { "write timeout SIMPLE not idempotent", Server(CqlErrorCode.WriteTimeout, new WriteTimeoutDetails(CqlConsistency.One, 0, 1, "SIMPLE")), false, RetryDecision.Rethrow },
        { "write timeout BATCH (in the batch log)", Server(CqlErrorCode.WriteTimeout, new WriteTimeoutDetails(CqlConsistency.One, 0, 1, "BATCH")), true, RetryDecision.Rethrow },
        { "write timeout COUNTER", Server(CqlErrorCode.WriteTimeout, new WriteTimeoutDetails(CqlConsistency.One, 0, 1, "COUNTER")), true, RetryDecision.Rethrow },
        { "unavailable", Server(CqlErrorCode.Unavailable, new UnavailableDetails(CqlConsistency.One, 1, 0)), false, RetryDecision.RetryNextHost },
        { "bootstrapping", Server(CqlErrorCode.IsBootstrapping, null), false, RetryDecision.RetryNextHost },
        { "server error idempotent", Server(CqlErrorCode.ServerError, null), true, RetryDecision.RetryNextHost },
        { "server error not idempotent", Server(CqlErrorCode.ServerError, null), false, RetryDecision.Rethrow },
        { "syntax error", Server(CqlErrorCode.SyntaxError, null), true, RetryDecision.Rethrow },
        { "timeout before sending", new CqlRequestTimeoutException("h", TimeSpan.FromSeconds(1), requestMayHaveBeenSent: false), false, RetryDecision.RetryNextHost },
        { "timeout after sending", new CqlRequestTimeoutException("h", TimeSpan.FromSeconds(1), requestMayHaveBeenSent: true), false, RetryDecision.Rethrow },
        { "timeout after sending idempotent", new CqlRequestTimeoutException("h", TimeSpan.FromSeconds(1), requestMayHaveBeenSent: true), true, RetryDecision.RetryNextHost },
        { "dropped after sending", new CqlConnectionClosedException("h", requestMayHaveBeenSent: true, "reset"), false, RetryDecision.Rethrow },
        { "dropped before sending", new CqlConnectionClosedException("h", requestMayHaveBeenSent: false, "reset"), false, RetryDecision.RetryNextHost },
    };

    [Theory]
    [MemberData(nameof(Decisions))]
    public void the_default_policy_retries_only_what_is_safe(string situation, Exception error, bool idempotent, RetryDecision expected)
    {
        var decision = DefaultRetryPolicy.Instance.Decide(new RetryContext(new SimpleStatement("q"), error, 0, idempotent));
        Assert.True(expected == decision, $"{situation}: expected {expected}, got {decision}");
    }

    [Fact]
    public void the_default_policy_retries_timeouts_and_unavailable_only_once()
    {
        var unavailable = Server(CqlErrorCode.Unavailable, new UnavailableDetails(CqlConsistency.One, 1, 0));
        var writeTimeout = Server(CqlErrorCode.WriteTimeout, new WriteTimeoutDetails(CqlConsistency.One, 0, 1, "SIMPLE"));
        Assert.Equal(RetryDecision.Rethrow, DefaultRetryPolicy.Instance.Decide(new RetryContext(new SimpleStatement("q"), unavailable, 1, true)));
        Assert.Equal(RetryDecision.Rethrow, DefaultRetryPolicy.Instance.Decide(new RetryContext(new SimpleStatement("q"), writeTimeout, 1, true)));
    }

    private static CqlServerException Server(CqlErrorCode code, ErrorDetails? details) => new(code, "m", details, "h");
}
