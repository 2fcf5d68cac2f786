using Streaming.Cql.Statements;
using Streaming.LocalCql.Testing;
using Streaming.Testing;
using static Streaming.LocalCql.Tests.Server.ServerRig;

namespace Streaming.LocalCql.Tests.Server;

/// <summary>Our client's retries, re-preparation and failover against faults the local server produces on cue.</summary>
public class ResilienceTests
{
    private const string Insert = "INSERT INTO delivery_log (event_id, channel, target, occurred_at, outcome, attempt) VALUES (?, 'sms', ?, ?, 'delivered', 1)";
    private static readonly TimeSpan HostStateTimeout = TimeSpan.FromSeconds(10);

    [Fact(Timeout = 30_000)]
    public async Task statements_prepared_before_a_restart_are_prepared_again_transparently()
    {
        await using var server = await StartAsync();
        await using var session = await ConnectAsync(server.Address);
        var insert = await session.PrepareAsync(Insert, Ct);
        await session.ExecuteAsync(insert.Bind("restart", "before", DateTimeOffset.UtcNow), Ct);

        await server.RestartAsync(Ct);
        // The client opens its one connection again only after noticing the old one closed, so a server-side connection
        // together with an open client-side one is the reconnection, not the connection from before.
        await Eventually.TrueAsync(
            () => server.ConnectionCount == 1 && session.Hosts[0] is { IsUp: true, OpenConnections: 1 }, HostStateTimeout, "the client reconnected to the restarted node");
        await session.ExecuteAsync(insert.Bind("restart", "after", DateTimeOffset.UtcNow).WithIdempotence(true), Ct);

        var targets = await session.ExecuteAsync(new SimpleStatement("SELECT target FROM delivery_log WHERE event_id = ?", "restart"), Ct);
        Assert.Equal(["after", "before"], targets.Select(r => r.GetString(0)));
        Assert.Equal(2, server.Engine.TestControl.Received(CqlStatementKind.Prepare));
    }

    [Fact(Timeout = 30_000)]
    public async Task an_idempotent_write_timed_out_on_a_simple_write_is_retried_on_the_same_node()
    {
        await using var server = await StartAsync();
        await using var session = await ConnectAsync(server.Address);
        var insert = await session.PrepareAsync(Insert, Ct);
        server.Engine.TestControl.FailNext(CqlStatementKind.Insert, 1, CqlEngineException.WriteTimeout(CqlConsistency.One, 0, 1, "SIMPLE"));

        await session.ExecuteAsync(insert.Bind("wt", "t", DateTimeOffset.UtcNow).WithIdempotence(true), Ct);

        Assert.Equal(2, server.Engine.TestControl.Received(CqlStatementKind.Insert));
        Assert.Single(await session.ExecuteAsync("SELECT * FROM delivery_log WHERE event_id = 'wt'", Ct));
    }

    [Fact(Timeout = 30_000)]
    public async Task a_non_idempotent_write_is_not_retried_and_fails_with_the_code_and_details()
    {
        await using var server = await StartAsync();
        await using var session = await ConnectAsync(server.Address);
        var insert = await session.PrepareAsync(Insert, Ct);
        server.Engine.TestControl.FailNext(CqlStatementKind.Insert, 1, CqlEngineException.WriteTimeout(CqlConsistency.One, 0, 1, "SIMPLE"));
        server.Engine.TestControl.FailNext(CqlStatementKind.Insert, 1, CqlEngineException.Overloaded());

        var timedOut = await Assert.ThrowsAsync<CqlServerException>(() => session.ExecuteAsync(insert.Bind("nwt", "t", DateTimeOffset.UtcNow), Ct));
        var overloaded = await Assert.ThrowsAsync<CqlServerException>(() => session.ExecuteAsync(insert.Bind("nwt", "t", DateTimeOffset.UtcNow), Ct));

        Assert.Equal(new WriteTimeoutDetails(CqlConsistency.One, 0, 1, "SIMPLE"), timedOut.Details);
        Assert.Equal(CqlErrorCode.Overloaded, overloaded.Code);
        Assert.Equal(2, server.Engine.TestControl.Received(CqlStatementKind.Insert));
    }

    public static TheoryData<string> NextNodeErrors => ["overloaded", "unavailable"];

    [Theory(Timeout = 30_000)]
    [MemberData(nameof(NextNodeErrors))]
    public async Task an_idempotent_statement_failed_by_one_node_is_retried_on_the_other(string error)
    {
        await using var cluster = await StartClusterAsync(2);
        await using var session = await ConnectAsync([.. cluster.ContactPoints]);
        var insert = await session.PrepareAsync(Insert, Ct);
        var failing = cluster.Nodes[0];
        failing.Engine.TestControl.FailNext(CqlStatementKind.Insert, 1,
            error == "overloaded" ? CqlEngineException.Overloaded() : CqlEngineException.Unavailable(CqlConsistency.One, 1, 0));

        // Plans start on each node in turn: one of the two executions meets the failing node first, whichever it is.
        var coordinators = new List<string>();
        for (var i = 0; i < 2; i++)
        {
            coordinators.Add((await session.ExecuteAsync(insert.Bind("retried", $"t{i}", DateTimeOffset.UtcNow).WithIdempotence(true), Ct)).Coordinator);
        }

        Assert.Equal(1, failing.Engine.TestControl.Received(CqlStatementKind.Insert));
        Assert.Equal(2, cluster.Nodes[1].Engine.TestControl.Received(CqlStatementKind.Insert));
        Assert.Equal([cluster.Nodes[1].Address, cluster.Nodes[1].Address], coordinators);
    }

    [Fact(Timeout = 60_000)]
    public async Task a_stopped_node_is_routed_around_and_taken_back_once_it_restarts()
    {
        await using var cluster = await StartClusterAsync(2);
        await using var session = await ConnectAsync([.. cluster.ContactPoints]);
        var insert = await session.PrepareAsync(Insert, Ct);
        var (up, down) = (cluster.Nodes[0], cluster.Nodes[1]);
        var downHost = session.Hosts.Single(h => h.Endpoint.ToString() == down.Address);

        await down.StopAsync();
        await Eventually.TrueAsync(() => !downHost.IsUp, HostStateTimeout, "the client marked the stopped node down");
        var whileDown = new List<string>();
        for (var i = 0; i < 6; i++)
        {
            whileDown.Add((await session.ExecuteAsync(insert.Bind("failover", $"down-{i}", DateTimeOffset.UtcNow).WithIdempotence(true), Ct)).Coordinator);
        }

        await down.RestartAsync(Ct);
        await Eventually.TrueAsync(() => downHost.IsUp, HostStateTimeout, "the client marked the restarted node up");
        var afterRestart = new List<string>();
        for (var i = 0; i < 6; i++)
        {
            afterRestart.Add((await session.ExecuteAsync(insert.Bind("failover", $"back-{i}", DateTimeOffset.UtcNow).WithIdempotence(true), Ct)).Coordinator);
        }

        Assert.All(whileDown, c => Assert.Equal(up.Address, c));
        Assert.Contains(down.Address, afterRestart);
        Assert.Equal(12, (await session.ExecuteAsync("SELECT * FROM delivery_log WHERE event_id = 'failover'", Ct)).Count);
    }
}
