using Streaming.Cql.Statements;
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
        await session.ExecuteAsync(insert.Bind("restart", "before", Now), Ct);

        await server.RestartAsync(Ct);
        // The client opens its one connection again only after noticing the old one closed, so a server-side connection
        // together with an open client-side one is the reconnection, not the connection from before.
        await Eventually.TrueAsync(
            () => server.ConnectionCount == 1 && session.Hosts[0] is { IsUp: true, OpenConnections: 1 }, HostStateTimeout, "the client reconnected to the restarted node");
        await session.ExecuteAsync(insert.Bind("restart", "after", Now).WithIdempotence(true), Ct);

        var targets = await session.ExecuteAsync(new SimpleStatement("SELECT target FROM delivery_log WHERE event_id = ?", "restart"), Ct);
        Assert.Equal(["after", "before"], targets.Select(r => r.GetString(0)));
        Assert.Equal(2, server.Engine.TestControl.Received(CqlStatementKind.Prepare));
    }

    /// <summary>Fault, idempotent, inserts the failing node and the other node receive, errors the caller sees.</summary>
    public static TheoryData<string, bool, int, int, int> InjectedFaults => new()
    {
        { "overloaded", true, 1, 2, 0 },
        { "unavailable", true, 1, 2, 0 },
        { "write_timeout", true, 2, 1, 0 },
        { "overloaded", false, 1, 1, 1 },
        { "write_timeout", false, 1, 1, 1 },
    };

    [Theory(Timeout = 30_000)]
    [MemberData(nameof(InjectedFaults))]
    public async Task a_fault_injected_on_one_node_is_retried_as_the_retry_policy_says(string fault, bool idempotent, int failingReceives, int otherReceives, int errors)
    {
        await using var cluster = await StartClusterAsync(2);
        await using var session = await ConnectAsync([.. cluster.ContactPoints]);
        var insert = await session.PrepareAsync(Insert, Ct);
        var (failing, other) = (cluster.Nodes[0], cluster.Nodes[1]);
        var injected = Fault(fault);
        failing.Engine.TestControl.FailNext(CqlStatementKind.Insert, 1, injected);

        // Plans start on each node in turn, so exactly one of two executions meets the failing node first: Overloaded and
        // Unavailable move that one to the other node, a SIMPLE write timeout retries on the same node; non-idempotent
        // statements are retried only after Unavailable, where the coordinator provably wrote nothing.
        var failures = new List<CqlServerException>();
        for (var i = 0; i < 2; i++)
        {
            try
            {
                await session.ExecuteAsync(insert.Bind("retried", $"t{i}", Now).WithIdempotence(idempotent), Ct);
            }
            catch (CqlServerException failure)
            {
                failures.Add(failure);
            }
        }

        Assert.Equal(
            (failingReceives, otherReceives),
            (failing.Engine.TestControl.Received(CqlStatementKind.Insert), other.Engine.TestControl.Received(CqlStatementKind.Insert)));
        Assert.Equal(errors, failures.Count);
        Assert.All(failures, f => Assert.Equal((injected.Code, injected.Details), (f.Code, f.Details)));
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
            whileDown.Add((await session.ExecuteAsync(insert.Bind("failover", $"down-{i}", Now).WithIdempotence(true), Ct)).Coordinator);
        }

        await down.RestartAsync(Ct);
        await Eventually.TrueAsync(() => downHost.IsUp, HostStateTimeout, "the client marked the restarted node up");
        var afterRestart = new List<string>();
        for (var i = 0; i < 6; i++)
        {
            afterRestart.Add((await session.ExecuteAsync(insert.Bind("failover", $"back-{i}", Now).WithIdempotence(true), Ct)).Coordinator);
        }

        Assert.All(whileDown, c => Assert.Equal(up.Address, c));
        Assert.Contains(down.Address, afterRestart);
        Assert.Equal(12, (await session.ExecuteAsync("SELECT * FROM delivery_log WHERE event_id = 'failover'", Ct)).Count);
    }

    private static CqlEngineException Fault(string name) => name switch
    {
        "overloaded" => CqlEngineException.Overloaded(),
        "unavailable" => CqlEngineException.Unavailable(CqlConsistency.One, 1, 0),
        _ => CqlEngineException.WriteTimeout(CqlConsistency.One, 0, 1, "SIMPLE"),
    };
}
