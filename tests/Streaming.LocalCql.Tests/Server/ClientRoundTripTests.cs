using Microsoft.Extensions.Time.Testing;
using Streaming.Cql.Statements;
using Streaming.LocalCql.Server;
using static Streaming.LocalCql.Tests.Server.ServerRig;

namespace Streaming.LocalCql.Tests.Server;

/// <summary>Our client against the local server over TCP: every value type, batches, paging, errors, multiplexing.</summary>
public class ClientRoundTripTests
{
    [Fact(Timeout = 30_000)]
    public async Task delivery_log_rows_written_with_prepared_inserts_read_back_column_by_column()
    {
        await using var server = await StartAsync();
        await using var session = await ConnectAsync(server.Address);
        var insert = await session.PrepareAsync(
            "INSERT INTO delivery_log (event_id, channel, target, occurred_at, outcome, attempt, user_id, source_service, category, provider, "
            + "provider_message_id, reason, error, requested_at, latency_ms, forced, write_id, details) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", Ct);
        var writeId = Cql.Types.TimeUuid.Create(Now);
        var details = new Dictionary<string, string> { ["host"] = "sender-1", ["offset"] = "42" };

        await session.ExecuteAsync(insert.Bind("e1", "sms", "+33612345678", Now, "delivered", 1, "u1", "billing", "otp", "twilio", "SM123", null, null, Now.AddSeconds(-2), 2_000L, false, writeId, details), Ct);
        await session.ExecuteAsync(insert.Bind("e1", "email", "a@b.c", Now, "failed", 3, "u1", "billing", "otp", "sendgrid", null, "retries-exhausted", "550 mailbox", Now, 0L, true, Cql.Types.TimeUuid.Create(Now), null), Ct);

        var select = await session.PrepareAsync("SELECT * FROM delivery_log WHERE event_id = ?", Ct);
        var rows = await session.ExecuteAsync(select.Bind("e1"), Ct);
        Assert.Equal(["email", "sms"], rows.Select(r => r.GetString("channel")));
        var (email, sms) = (rows[0], rows[1]);
        Assert.Equal(("+33612345678", Now, "delivered", 1, "SM123"), (sms.GetString("target"), sms.GetDateTimeOffset("occurred_at"), sms.GetString("outcome"), sms.GetInt32("attempt"), sms.GetString("provider_message_id")));
        Assert.Equal(("billing", Now.AddSeconds(-2), 2_000L, false, writeId), (sms.GetString("source_service"), sms.GetDateTimeOffset("requested_at"), sms.GetInt64("latency_ms"), sms.GetBoolean("forced"), sms.GetGuid("write_id")));
        Assert.Equal(details, sms.GetDictionary<string, string>("details"));
        Assert.True(sms.IsNull("reason") && sms.IsNull("error") && email.IsNull("details") && email.IsNull("provider_message_id"));
        Assert.Equal(("retries-exhausted", "550 mailbox", 3, true), (email.GetString("reason"), email.GetString("error"), email.GetInt32("attempt"), email.GetBoolean("forced")));
    }

    [Fact(Timeout = 30_000)]
    public async Task every_column_type_and_null_cells_survive_a_prepared_round_trip()
    {
        await using var server = await StartAsync();
        await using var session = await ConnectAsync(server.Address);
        var insert = await session.PrepareAsync(TypeCheckRow.Insert, Ct);
        var select = await session.PrepareAsync(TypeCheckRow.Select, Ct);
        var written = TypeCheckRow.Samples("types", Now);

        foreach (var row in written)
        {
            await session.ExecuteAsync(row.Bind(insert), Ct);
        }

        var read = await session.ExecuteAsync(select.Bind("types"), Ct);
        Assert.Equal(written.OrderBy(r => r.Seq).Select(r => r.Canonical), read.Select(TypeCheckRow.From).Select(r => r.Canonical));
    }

    [Fact(Timeout = 30_000)]
    public async Task an_unlogged_batch_of_prepared_and_simple_inserts_writes_every_row()
    {
        await using var server = await StartAsync();
        await using var session = await ConnectAsync(server.Address);
        var insert = await session.PrepareAsync("INSERT INTO delivery_log (event_id, channel, target, occurred_at, outcome, attempt) VALUES (?, ?, ?, ?, ?, 1)", Ct);
        var batch = new BatchStatement(BatchType.Unlogged).WithIdempotence(true);
        for (var i = 0; i < 20; i++)
        {
            batch.Add(insert.Bind("batched", "push", $"device-{i:D2}", Now, "delivered"));
        }

        batch.Add(new SimpleStatement("INSERT INTO delivery_log (event_id, channel, target, occurred_at, outcome, attempt) VALUES ('batched', 'sms', '+1', ?, 'failed', 2)", Now));
        await session.ExecuteAsync(batch, Ct);

        var targets = await session.QueryAsync(new SimpleStatement("SELECT target FROM delivery_log WHERE event_id = ?", "batched"), cancellationToken: Ct).Select(r => r.GetString(0)).ToListAsync(Ct);
        Assert.Equal([.. Enumerable.Range(0, 20).Select(i => $"device-{i:D2}"), "+1"], targets);
        Assert.Equal(1, server.Engine.TestControl.Received(CqlStatementKind.Batch));
    }

    [Fact(Timeout = 30_000)]
    public async Task paging_with_a_small_page_size_returns_every_row_once_in_clustering_order()
    {
        await using var server = await StartAsync();
        await using var session = await ConnectAsync(server.Address);
        var insert = await session.PrepareAsync("INSERT INTO delivery_log (event_id, channel, target, occurred_at, outcome, attempt) VALUES (?, 'push', ?, ?, 'delivered', 1)", Ct);
        await Task.WhenAll(Enumerable.Range(0, 3).SelectMany(p => Enumerable.Range(0, 100).Select(i =>
            session.ExecuteAsync(insert.Bind($"paged-{p}", $"device-{i:D3}", Now), Ct))));
        server.Engine.TestControl.Reset();

        var onePartition = await session.QueryAsync(new SimpleStatement("SELECT target FROM delivery_log WHERE event_id = ?", "paged-1"), pageSize: 7, Ct)
            .Select(r => r.GetString(0)).ToListAsync(Ct);
        var pages = server.Engine.TestControl.Received(CqlStatementKind.Select);
        var wholeTable = await session.QueryAsync("SELECT event_id, target FROM delivery_log", pageSize: 11, Ct)
            .Select(r => $"{r.GetString(0)}/{r.GetString(1)}").ToListAsync(Ct);

        Assert.Equal(Enumerable.Range(0, 100).Select(i => $"device-{i:D3}"), onePartition);
        Assert.Equal(15, pages);
        Assert.Equal(300, wholeTable.Distinct().Count());
        Assert.Equal(300, wholeTable.Count);
    }

    [Fact(Timeout = 30_000)]
    public async Task cells_expire_by_their_ttl_and_the_table_default_on_the_engine_clock()
    {
        var time = new FakeTimeProvider(Now);
        await using var server = await StartAsync(new LocalCqlServerOptions { Time = time });
        await using var session = await ConnectAsync(server.Address);
        var insert = await session.PrepareAsync("INSERT INTO delivery_log (event_id, channel, target, occurred_at, outcome, attempt, user_id) VALUES (?, 'sms', '+1', ?, 'failed', 1, 'u')", Ct);
        var shortLived = await session.PrepareAsync("UPDATE delivery_log USING TTL 60 SET reason = ? WHERE event_id = ? AND channel = 'sms' AND target = '+1' AND occurred_at = ? AND outcome = 'failed' AND attempt = 1", Ct);
        await session.ExecuteAsync(insert.Bind("ttl", Now), Ct);
        await session.ExecuteAsync(shortLived.Bind("gone soon", "ttl", Now), Ct);
        var select = await session.PrepareAsync("SELECT reason, user_id, TTL(user_id) FROM delivery_log WHERE event_id = ?", Ct);
        var tableDefault = Assert.Single(await session.ExecuteAsync(
            "SELECT default_time_to_live FROM system_schema.tables WHERE keyspace_name = 'streaming' AND table_name = 'delivery_log'", Ct)).GetInt32(0);

        var fresh = Assert.Single(await session.ExecuteAsync(select.Bind("ttl"), Ct));
        time.Advance(TimeSpan.FromSeconds(61));
        var afterMinute = Assert.Single(await session.ExecuteAsync(select.Bind("ttl"), Ct));
        time.Advance(TimeSpan.FromSeconds(tableDefault - 61));
        var atDefault = await session.ExecuteAsync(select.Bind("ttl"), Ct);

        Assert.True(tableDefault > 61);
        Assert.Equal(("gone soon", "u", tableDefault), (fresh.GetString(0), fresh.GetString(1), fresh.GetInt32(2)));
        Assert.Equal((true, "u", tableDefault - 61), (afterMinute.IsNull(0), afterMinute.GetString(1), afterMinute.GetInt32(2)));
        Assert.Empty(atDefault);
    }

    [Theory(Timeout = 30_000)]
    [InlineData("CREATE INDEX ON delivery_log (outcome)")]
    [InlineData("CREATE MATERIALIZED VIEW v AS SELECT * FROM delivery_log")]
    [InlineData("SELECT * FROM delivery_log WHERE outcome = 'failed'")]
    [InlineData("UPDATE delivery_log SET error = 'x' WHERE event_id = 'e' AND channel = 'sms' AND target = 't' AND occurred_at = 0 AND outcome = 'o' IF EXISTS")]
    [InlineData("SELECT nosuch FROM delivery_log")]
    [InlineData("INSERT INTO delivery_log (event_id) VALUES (")]
    public async Task an_unsupported_or_invalid_statement_answers_syntax_or_invalid_with_a_message(string cql)
    {
        await using var server = await StartAsync();
        await using var session = await ConnectAsync(server.Address);

        var error = await Assert.ThrowsAsync<CqlServerException>(() => session.ExecuteAsync(cql, Ct));

        Assert.Contains(error.Code, new[] { CqlErrorCode.SyntaxError, CqlErrorCode.Invalid });
        Assert.False(string.IsNullOrWhiteSpace(error.ServerMessage));
        TestContext.Current.TestOutputHelper?.WriteLine($"{error.Code}: {error.ServerMessage}");
        Assert.Empty(await session.ExecuteAsync("SELECT * FROM delivery_log WHERE event_id = 'still-serving'", Ct));
    }

    [Fact(Timeout = 60_000)]
    public async Task hundreds_of_concurrent_requests_share_one_connection_and_overtake_a_held_one()
    {
        await using var server = await StartAsync();
        var options = ClientOptions(server.Address);
        options.RequestTimeout = TimeSpan.FromSeconds(30);
        await using var session = await ConnectAsync(options);
        var insert = await session.PrepareAsync("INSERT INTO delivery_log (event_id, channel, target, occurred_at, outcome, attempt) VALUES (?, 'email', ?, ?, 'delivered', ?)", Ct);
        var select = await session.PrepareAsync("SELECT attempt FROM delivery_log WHERE event_id = ?", Ct);
        server.Engine.TestControl.DelayNext(CqlStatementKind.Select, 1, TimeSpan.FromHours(1), table: "delivery_log");

        var held = session.ExecuteAsync(select.Bind("held"), Ct);
        await Eventually.TrueAsync(() => server.Engine.TestControl.Received(CqlStatementKind.Select) == 1, TimeSpan.FromSeconds(10), "the held SELECT reached the engine");
        await Task.WhenAll(Enumerable.Range(0, 400).Select(i => session.ExecuteAsync(insert.Bind($"many-{i % 40}", $"t{i}", Now, i), Ct)));
        var counts = await Task.WhenAll(Enumerable.Range(0, 40).Select(async p => (await session.ExecuteAsync(select.Bind($"many-{p}"), Ct)).Count));

        Assert.All(counts, c => Assert.Equal(10, c));
        Assert.False(held.IsCompleted);
        Assert.Equal(1, server.ConnectionCount);
        server.Engine.TestControl.Reset();
        Assert.Empty(await held);
    }
}
