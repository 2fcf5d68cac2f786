using Streaming.Cql.Statements;
using static Streaming.LocalCql.Tests.Server.ServerRig;

namespace Streaming.LocalCql.Tests.Server;

/// <summary>Our client against the local server over TCP: every value type, batches, paging, errors, multiplexing.</summary>
public class ClientRoundTripTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());

    [Fact(Timeout = 30_000)]
    public async Task delivery_log_rows_written_with_prepared_inserts_read_back_column_by_column()
    {
        await using var server = await StartAsync();
        await using var session = await ConnectAsync(server.Address);
        var insert = await session.PrepareAsync(
            "INSERT INTO delivery_log (event_id, channel, target, occurred_at, outcome, attempt, user_id, category, provider, provider_message_id, reason, error, requested_at) "
            + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", Ct);

        await session.ExecuteAsync(insert.Bind("e1", "sms", "+33612345678", Now, "delivered", 1, "u1", "otp", "twilio", "SM123", null, null, Now.AddSeconds(-2)), Ct);
        await session.ExecuteAsync(insert.Bind("e1", "email", "a@b.c", Now, "failed", 3, "u1", "otp", "sendgrid", null, "retries-exhausted", "550 mailbox", Now), Ct);

        var select = await session.PrepareAsync("SELECT channel, target, occurred_at, outcome, attempt, provider_message_id, reason, error, requested_at FROM delivery_log WHERE event_id = ?", Ct);
        var rows = await session.ExecuteAsync(select.Bind("e1"), Ct);
        Assert.Equal(["email", "sms"], rows.Select(r => r.GetString("channel")));
        var sms = rows[1];
        Assert.Equal(("+33612345678", Now, "delivered", 1, "SM123"), (sms.GetString("target"), sms.GetDateTimeOffset("occurred_at"), sms.GetString("outcome"), sms.GetInt32("attempt"), sms.GetString("provider_message_id")));
        Assert.True(sms.IsNull("reason") && sms.IsNull("error"));
        Assert.Equal(Now.AddSeconds(-2), sms.GetDateTimeOffset("requested_at"));
        Assert.Equal(("retries-exhausted", "550 mailbox", 3), (rows[0].GetString("reason"), rows[0].GetString("error"), rows[0].GetInt32("attempt")));
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
        var insert = await session.PrepareAsync("INSERT INTO delivery_log (event_id, channel, target, occurred_at, outcome) VALUES (?, ?, ?, ?, ?)", Ct);
        var batch = new BatchStatement(BatchType.Unlogged).WithIdempotence(true);
        for (var i = 0; i < 20; i++)
        {
            batch.Add(insert.Bind("batched", "push", $"device-{i:D2}", Now, "delivered"));
        }

        batch.Add(new SimpleStatement("INSERT INTO delivery_log (event_id, channel, target, occurred_at, outcome) VALUES ('batched', 'sms', '+1', ?, 'failed')", Now));
        await session.ExecuteAsync(batch, Ct);

        var targets = await session.QueryAsync(new SimpleStatement("SELECT target FROM delivery_log WHERE event_id = ?", "batched"), cancellationToken: Ct).Select(r => r.GetString(0)).ToListAsync(Ct);
        Assert.Equal([.. Enumerable.Range(0, 20).Select(i => $"device-{i:D2}"), "+1"], targets);
        Assert.Equal(1, server.Engine.TestControl.Received(Testing.CqlStatementKind.Batch));
    }
}
