using System.Collections.Concurrent;
using Streaming.Cql.Protocol;
using Streaming.Cql.Statements;
using Streaming.Cql.Tests.Support;

namespace Streaming.Cql.Tests;

public class MultiplexingTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Task Echo(ServerRequest request) => request.ReplyAsync(TestRows.Text(["v"], [[TestRows.TextOf(request.Parameters!.Values[0])]]));

    [Fact(Timeout = 30_000)]
    public async Task concurrent_requests_share_one_connection_and_answers_in_reverse_order_reach_their_callers()
    {
        await using var server = new ScriptedCqlServer();
        var held = new ConcurrentQueue<ServerRequest>();
        server.Handler = r =>
        {
            held.Enqueue(r);
            return Task.CompletedTask;
        };
        await using var session = await CqlSession.ConnectAsync(TestOptions.For(server), TestLoggerFactory.Instance, Ct);

        var calls = Enumerable.Range(0, 100).Select(i => session.ExecuteAsync(new SimpleStatement("SELECT ?", $"n{i}"), Ct)).ToList();
        await Eventually.TrueAsync(() => held.Count == 100, "all 100 requests are in flight together");
        foreach (var request in held.Reverse())
        {
            await Echo(request);
        }

        var results = await Task.WhenAll(calls);
        Assert.Equal(Enumerable.Range(0, 100).Select(i => $"n{i}"), results.Select(r => r[0].GetString("v")));
        Assert.Equal(1, server.AcceptedConnections);
        Assert.Equal(100, held.Select(r => r.Stream).Distinct().Count());
    }

    [Fact(Timeout = 30_000)]
    public async Task callers_beyond_the_stream_ids_wait_for_a_free_one_and_all_complete()
    {
        await using var server = new ScriptedCqlServer();
        var held = new ConcurrentQueue<ServerRequest>();
        var unanswered = 0;
        var maxUnanswered = 0;
        server.Handler = r =>
        {
            var now = Interlocked.Increment(ref unanswered);
            InterlockedMax(ref maxUnanswered, now);
            held.Enqueue(r);
            return Task.CompletedTask;
        };
        var options = TestOptions.For(server);
        options.MaxRequestsPerConnection = 4;
        await using var session = await CqlSession.ConnectAsync(options, TestLoggerFactory.Instance, Ct);

        var calls = Enumerable.Range(0, 50).Select(i => session.ExecuteAsync(new SimpleStatement("SELECT ?", $"n{i}"), Ct)).ToList();
        for (var answered = 0; answered < 50; answered++)
        {
            await Eventually.TrueAsync(() => !held.IsEmpty, "a request waiting for its answer");
            held.TryDequeue(out var request);
            Interlocked.Decrement(ref unanswered);
            await Echo(request!);
        }

        var results = await Task.WhenAll(calls);
        Assert.Equal(Enumerable.Range(0, 50).Select(i => $"n{i}"), results.Select(r => r[0].GetString("v")));
        Assert.Equal(4, maxUnanswered);
        Assert.All(server.ReceivedOf<QueryRequest>(), r => Assert.InRange(r.Stream, 0, 3));
    }

    [Fact(Timeout = 30_000)]
    public async Task a_timed_out_request_keeps_its_stream_id_until_its_late_answer_arrives()
    {
        await using var server = new ScriptedCqlServer();
        var held = new ConcurrentDictionary<string, ServerRequest>();
        server.Handler = r =>
        {
            held[TestRows.TextOf(r.Parameters!.Values[0])] = r;
            return Task.CompletedTask;
        };
        var options = TestOptions.For(server);
        options.MaxRequestsPerConnection = 2;
        await using var session = await CqlSession.ConnectAsync(options, TestLoggerFactory.Instance, Ct);

        var a = session.ExecuteAsync(new SimpleStatement("SELECT ?", "a").WithTimeout(TimeSpan.FromMilliseconds(300)), Ct);
        var timeout = await Assert.ThrowsAsync<CqlRequestTimeoutException>(() => a);
        Assert.True(timeout.RequestMayHaveBeenSent);
        var streamOfA = held["a"].Stream;

        var b = session.ExecuteAsync(new SimpleStatement("SELECT ?", "b"), Ct);
        await Eventually.TrueAsync(() => held.ContainsKey("b"), "b reaches the server");
        Assert.NotEqual(streamOfA, held["b"].Stream);

        // Both ids are taken (a's waits for its late answer), so c waits; a's late answer frees a's id for c.
        var c = session.ExecuteAsync(new SimpleStatement("SELECT ?", "c"), Ct);
        await held["a"].ReplyAsync(TestRows.Text(["v"], [["late answer for a"]]));
        await Eventually.TrueAsync(() => held.ContainsKey("c"), "c reaches the server once a's id is free");
        Assert.Equal(streamOfA, held["c"].Stream);
        await Echo(held["c"]);
        await Echo(held["b"]);

        Assert.Equal("c", (await c)[0].GetString("v"));
        Assert.Equal("b", (await b)[0].GetString("v"));
    }

    [Fact(Timeout = 30_000)]
    public async Task a_connection_whose_ids_wait_for_answers_that_never_come_is_replaced()
    {
        await using var server = new ScriptedCqlServer();
        server.Handler = r => TestRows.TextOf(r.Parameters!.Values[0]) == "lost" ? Task.CompletedTask : Echo(r);
        var options = TestOptions.For(server);
        options.MaxRequestsPerConnection = 4;
        var log = new TestLoggerFactory();
        await using var session = await CqlSession.ConnectAsync(options, log, Ct);

        var lost = Enumerable.Range(0, 4).Select(_ => session.ExecuteAsync(new SimpleStatement("SELECT ?", "lost").WithTimeout(TimeSpan.FromMilliseconds(200)), Ct));
        foreach (var call in lost.ToList())
        {
            await Assert.ThrowsAsync<CqlRequestTimeoutException>(() => call);
        }

        await Eventually.TrueAsync(() => server.AcceptedConnections == 2 && session.Hosts[0].OpenConnections == 1, "a fresh connection replaces the one without free ids");
        Assert.Contains(log.Lines, l => l.Contains("draining the connection", StringComparison.Ordinal));
        Assert.DoesNotContain(log.Lines, l => l.Contains("is DOWN", StringComparison.Ordinal));
        Assert.Equal("ok", (await session.ExecuteAsync(new SimpleStatement("SELECT ?", "ok"), Ct))[0].GetString(0));
    }

    [Fact(Timeout = 30_000)]
    public async Task server_pushed_events_on_stream_minus_one_are_tolerated()
    {
        await using var server = new ScriptedCqlServer();
        server.Handler = async r =>
        {
            var @event = new EventResponse(new StatusChangeEvent("DOWN", new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 9042)));
            await r.Connection.SendAsync(-1, @event);
            await Echo(r);
        };
        await using var session = await CqlSession.ConnectAsync(TestOptions.For(server), TestLoggerFactory.Instance, Ct);

        var rows = await session.ExecuteAsync(new SimpleStatement("SELECT ?", "x"), Ct);

        Assert.Equal("x", rows[0].GetString(0));
        Assert.True(session.Hosts[0].IsUp);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }
}
