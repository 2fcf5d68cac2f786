using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Time.Testing;
using Streaming.Contracts;
using Streaming.Cql;
using Streaming.DeliveryLog;
using Streaming.LocalCql.Server;
using Streaming.LocalCql.Testing;
using Streaming.Testing;
using static Streaming.DeliveryLog.Tests.DeliveryLogContractTests;

namespace Streaming.DeliveryLog.Tests;

/// <summary>What the Cassandra store adds: TTL, group commit, consistency, its own keyspace, and riding out an absent server.</summary>
public sealed class CassandraDeliveryLogTests
{
    [Fact(Timeout = TestLimits.TimeoutMs)]
    public async Task rows_expire_after_the_configured_ttl()
    {
        var ct = TestContext.Current.CancellationToken;
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var server = await LocalCqlServer.StartAsync(new LocalCqlServerOptions { Time = clock });
        await using var s = await LogStore.StartAsync(DeliveryLogOptions.CassandraStore, o => o.Ttl = TimeSpan.FromHours(1), server);
        await s.Log.AppendAsync(Row("e-ttl", Channels.Sms, "+15550001", Outcomes.Delivered), ct);

        clock.Advance(TimeSpan.FromMinutes(59));
        Assert.True(await s.Log.WasDeliveredAsync("e-ttl", Channels.Sms, "+15550001", ct));

        clock.Advance(TimeSpan.FromMinutes(2));
        Assert.False(await s.Log.WasDeliveredAsync("e-ttl", Channels.Sms, "+15550001", ct));
        Assert.Empty(await s.Log.ReadAsync("e-ttl", ct));
    }

    [Fact(Timeout = TestLimits.TimeoutMs)]
    public async Task concurrent_appends_are_group_committed_in_batches_at_the_configured_consistency()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await LocalCqlServer.StartAsync();
        await using var s = await LogStore.StartAsync(DeliveryLogOptions.CassandraStore, o => o.Consistency = CqlConsistency.LocalQuorum, server);
        var control = server.Engine.TestControl;
        control.DelayNext(CqlStatementKind.Insert, 1, TimeSpan.FromMilliseconds(200)); // rows queue up behind the first write

        await Task.WhenAll(Enumerable.Range(0, 200).Select(i => s.Log.AppendAsync(Row($"g-{i}", Channels.Email, $"u{i}@example.com", Outcomes.Delivered), ct)));

        Assert.Equal(200, (await s.Log.ReadAllAsync(ct)).Count);
        var roundTrips = control.Received(CqlStatementKind.Batch) + control.Received(CqlStatementKind.Insert);
        Assert.True(control.Received(CqlStatementKind.Batch) > 0 && roundTrips < 100, $"{roundTrips} write round trips for 200 rows");
        Assert.Equal(CqlConsistency.LocalQuorum, control.LastConsistency(CqlStatementKind.Batch));
        Assert.Equal(CqlConsistency.LocalQuorum, control.LastConsistency(CqlStatementKind.Select) ?? CqlConsistency.LocalQuorum);
    }

    [Fact(Timeout = TestLimits.TimeoutMs)]
    public async Task the_schema_is_created_in_the_configured_keyspace()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var s = await LogStore.StartAsync(DeliveryLogOptions.CassandraStore, o => o.Keyspace = "notify_eu");
        await s.Log.AppendAsync(Row("e-ks", Channels.Sms, "+15550001", Outcomes.Delivered), ct);

        Assert.Single(await s.Log.ReadAsync("e-ks", ct));
        await using var session = await CqlSession.ConnectAsync(new CqlClientOptions { ContactPoints = [s.Server!.Address] }, cancellationToken: ct);
        var keyspaces = (await session.ExecuteAsync("SELECT keyspace_name FROM system_schema.keyspaces", ct)).Select(r => r.GetString(0)).ToList();
        Assert.Contains("notify_eu", keyspaces);
        Assert.DoesNotContain("streaming", keyspaces);
    }

    [Fact(Timeout = TestLimits.TimeoutMs)]
    public async Task a_log_started_before_its_server_reports_unavailable_then_works_once_the_server_is_up()
    {
        var ct = TestContext.Current.CancellationToken;
        var port = FreePort();
        var options = LogStore.Cassandra($"127.0.0.1:{port}");
        options.RequestTimeout = TimeSpan.FromSeconds(2);
        await using var log = new CassandraDeliveryLog(options);

        await Assert.ThrowsAsync<DeliveryLogUnavailableException>(() => log.AppendAsync(Row("e-late", Channels.Sms, "+15550001", Outcomes.Delivered), ct));
        await Assert.ThrowsAsync<DeliveryLogUnavailableException>(() => log.WasDeliveredAsync("e-late", Channels.Sms, "+15550001", ct));

        await using var server = await LocalCqlServer.StartAsync(port);
        await Eventually.TrueAsync(async () =>
        {
            try
            {
                await log.AppendAsync(Row("e-late", Channels.Sms, "+15550001", Outcomes.Delivered), ct);
                return true;
            }
            catch (DeliveryLogUnavailableException)
            {
                return false;
            }
        }, TimeSpan.FromSeconds(30), "the log connected once its server started");
        Assert.True(await log.WasDeliveredAsync("e-late", Channels.Sms, "+15550001", ct));
    }

    private static int FreePort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }
}
