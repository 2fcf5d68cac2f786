using System.Collections.Concurrent;
using Streaming.Cql.Protocol;
using Streaming.Cql.Statements;
using Streaming.Cql.Tests.Support;

namespace Streaming.Cql.Tests;

public class HostPoolTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact(Timeout = 30_000)]
    public async Task a_dropped_connection_fails_its_requests_marks_the_host_down_and_reconnection_brings_it_up()
    {
        await using var server = new ScriptedCqlServer();
        var held = new ConcurrentQueue<ServerRequest>();
        server.Handler = r =>
        {
            held.Enqueue(r);
            return Task.CompletedTask;
        };
        await using var session = await CqlSession.ConnectAsync(TestOptions.For(server), TestLoggerFactory.Instance, Ct);
        var host = session.Hosts[0];
        var inFlight = Enumerable.Range(0, 3).Select(i => session.ExecuteAsync(new SimpleStatement("INSERT ?", $"{i}"), Ct)).ToList();
        await Eventually.TrueAsync(() => held.Count == 3, "three requests in flight");

        server.Refuse = true;
        server.DropConnections();

        foreach (var call in inFlight)
        {
            var error = await Assert.ThrowsAsync<CqlConnectionClosedException>(() => call);
            Assert.True(error.RequestMayHaveBeenSent);
        }

        await Eventually.TrueAsync(() => !host.IsUp, "the host is marked down");
        Assert.NotNull(host.LastError);
        var down = await Assert.ThrowsAsync<NoHostAvailableException>(() => session.ExecuteAsync("SELECT", Ct));
        Assert.Contains(server.Endpoint, down.Errors.Keys);

        var acceptedWhileDown = server.AcceptedConnections;
        await Eventually.TrueAsync(() => server.AcceptedConnections > acceptedWhileDown + 1, "reconnection keeps trying while the host refuses");
        server.Refuse = false;
        server.Handler = server.DefaultAsync;
        await Eventually.TrueAsync(() => host.IsUp, "reconnection marks the host up again");
        await session.ExecuteAsync("SELECT", Ct);
    }

    [Fact(Timeout = 30_000)]
    public async Task disposing_a_session_while_it_reconnects_to_a_down_host_does_not_throw()
    {
        await using var server = new ScriptedCqlServer();
        var options = TestOptions.For(server);
        options.ReconnectBaseDelay = TimeSpan.FromMilliseconds(1);
        options.ReconnectMaxDelay = TimeSpan.FromMilliseconds(5);
        var session = await CqlSession.ConnectAsync(options, TestLoggerFactory.Instance, Ct);
        server.Refuse = true;
        server.DropConnections();
        var refusedBefore = server.AcceptedConnections;
        await Eventually.TrueAsync(() => !session.Hosts[0].IsUp && server.AcceptedConnections > refusedBefore + 2, "reconnection attempts against a refusing host");

        await session.DisposeAsync(); // a connect attempt failing during the dispose must not surface from it
    }

    [Fact(Timeout = 30_000)]
    public async Task an_idle_connection_to_a_hung_node_is_closed_by_the_heartbeat()
    {
        await using var server = new ScriptedCqlServer();
        var options = TestOptions.For(server);
        options.HeartbeatInterval = TimeSpan.FromMilliseconds(100);
        options.ConnectTimeout = TimeSpan.FromMilliseconds(500);
        var log = new TestLoggerFactory();
        await using var session = await CqlSession.ConnectAsync(options, log, Ct);
        await Eventually.TrueAsync(() => server.ReceivedOf<OptionsRequest>().Count() >= 3, "an idle connection sends heartbeats that are answered");
        Assert.True(session.Hosts[0].IsUp);

        server.Mute = true;

        await Eventually.TrueAsync(() => !session.Hosts[0].IsUp, "the unanswered heartbeat closes the connection and the host goes down");
        Assert.Contains(log.Lines, l => l.Contains("is DOWN: no answer to a heartbeat", StringComparison.Ordinal));
    }

    [Fact(Timeout = 30_000)]
    public async Task a_lost_connection_of_a_host_that_is_still_up_is_replaced()
    {
        await using var server = new ScriptedCqlServer();
        var options = TestOptions.For(server);
        options.ConnectionsPerHost = 3;
        await using var session = await CqlSession.ConnectAsync(options, TestLoggerFactory.Instance, Ct);
        Assert.Equal(3, session.Hosts[0].OpenConnections);

        server.DropConnections();

        await Eventually.TrueAsync(() => server.AcceptedConnections == 6 && session.Hosts[0].OpenConnections == 3, "three fresh connections");
        await session.ExecuteAsync("SELECT", Ct);
    }

    [Fact(Timeout = 30_000)]
    public async Task connect_fails_with_every_hosts_error_when_none_answers()
    {
        await using var a = new ScriptedCqlServer { Refuse = true };
        await using var b = new ScriptedCqlServer { Refuse = true };

        var error = await Assert.ThrowsAsync<NoHostAvailableException>(() => CqlSession.ConnectAsync(TestOptions.For(a, b), cancellationToken: Ct));

        Assert.Equal(new[] { a.Endpoint, b.Endpoint }.Order(), error.Errors.Keys.Order());
        Assert.Contains(a.Endpoint, error.Message, StringComparison.Ordinal);
    }

    [Fact(Timeout = 30_000)]
    public async Task a_session_starts_when_one_contact_point_answers_and_the_other_joins_when_it_comes_up()
    {
        await using var up = new ScriptedCqlServer();
        await using var late = new ScriptedCqlServer { Refuse = true };
        await using var session = await CqlSession.ConnectAsync(TestOptions.For(up, late), cancellationToken: Ct);
        Assert.Equal([true, false], session.Hosts.Select(h => h.IsUp));

        late.Refuse = false;

        await Eventually.TrueAsync(() => session.Hosts[1].IsUp, "the late host is marked up");
        for (var i = 0; i < 4; i++)
        {
            await session.ExecuteAsync("SELECT", Ct);
        }

        Assert.Contains(late.ReceivedOf<QueryRequest>(), r => r.Query == "SELECT");
    }

    [Fact(Timeout = 30_000)]
    public async Task requests_go_to_the_local_datacenter_while_one_of_its_hosts_is_up()
    {
        await using var remote = new ScriptedCqlServer("dc-remote");
        await using var local = new ScriptedCqlServer("dc-local");
        var options = TestOptions.For(remote, local);
        options.LocalDatacenter = "dc-local";
        await using var session = await CqlSession.ConnectAsync(options, TestLoggerFactory.Instance, Ct);
        Assert.Equal(["dc-remote", "dc-local"], session.Hosts.Select(h => h.Datacenter));

        for (var i = 0; i < 6; i++)
        {
            Assert.Equal(local.Endpoint, (await session.ExecuteAsync("SELECT", Ct)).Coordinator);
        }

        local.Refuse = true;
        local.DropConnections();
        await Eventually.TrueAsync(() => !session.Hosts[1].IsUp, "the local host is down");
        Assert.Equal(remote.Endpoint, (await session.ExecuteAsync("SELECT", Ct)).Coordinator);
    }
}
