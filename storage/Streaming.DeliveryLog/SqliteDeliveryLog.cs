using System.Threading.Channels;
using Microsoft.Data.Sqlite;

namespace Streaming.DeliveryLog;

/// <summary>
/// SQLite delivery log: one file, WAL journal (readers never block the writer), and one writer task that commits
/// queued rows in batches (group commit), completing each caller's task after its batch committed. The writer task
/// also answers <see cref="WasDeliveredAsync"/>, with one prepared statement on its own connection.
/// </summary>
/// <remarks>
/// Why the lookups go through the writer: the senders ask once per record. A fresh pooled connection per question
/// prepared the statement again and, since another connection had written since its last read, started from an empty
/// page cache; in the pipeline benchmark that was ~10 % of all CPU samples. The writer's connection has the index
/// pages cached, and the lookups of one batch run before its inserts, so they see committed rows only.
/// </remarks>
public sealed class SqliteDeliveryLog : IDeliveryLog
{
    private const string Columns = "event_id, channel, target, outcome, attempt, user_id, category, provider, provider_message_id, reason, error, requested_at, occurred_at";

    private readonly string connectionString;
    private readonly int batchSize;
    private readonly Channel<Work> queue = Channel.CreateUnbounded<Work>(new UnboundedChannelOptions { SingleReader = true });
    private readonly SqliteConnection writer;
    private readonly Task writerLoop;

    public SqliteDeliveryLog(DeliveryLogOptions options)
    {
        var full = System.IO.Path.GetFullPath(options.Path);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        connectionString = new SqliteConnectionStringBuilder { DataSource = full, Pooling = true }.ToString();
        batchSize = Math.Max(1, options.BatchSize);
        writer = new SqliteConnection(connectionString);
        writer.Open();
        Execute(writer, $"""
            PRAGMA journal_mode=WAL;
            PRAGMA synchronous={(options.Synchronous.Equals("FULL", StringComparison.OrdinalIgnoreCase) ? "FULL" : "NORMAL")};
            PRAGMA busy_timeout=10000;
            CREATE TABLE IF NOT EXISTS delivery_log (
                id INTEGER PRIMARY KEY,
                event_id TEXT NOT NULL,
                channel TEXT NOT NULL,
                target TEXT NOT NULL,
                outcome TEXT NOT NULL,
                attempt INTEGER NOT NULL,
                user_id TEXT NOT NULL,
                category TEXT,
                provider TEXT,
                provider_message_id TEXT,
                reason TEXT,
                error TEXT,
                requested_at INTEGER NOT NULL,
                occurred_at INTEGER NOT NULL);
            CREATE INDEX IF NOT EXISTS ix_delivery_log_key ON delivery_log (event_id, channel, target, outcome);
            """);
        writerLoop = Task.Run(WriteLoopAsync);
    }

    public Task AppendAsync(DeliveryLogEntry entry, CancellationToken cancellationToken = default)
    {
        var append = new Append(entry);
        Enqueue(append);
        return append.Done.Task.WaitAsync(cancellationToken);
    }

    public Task<bool> WasDeliveredAsync(string eventId, string channel, string target, CancellationToken cancellationToken = default)
    {
        var lookup = new Lookup(eventId, channel, target);
        Enqueue(lookup);
        return lookup.Done.Task.WaitAsync(cancellationToken);
    }

    public Task<IReadOnlyList<DeliveryLogEntry>> ReadAsync(string eventId, CancellationToken cancellationToken = default)
        => QueryAsync($"SELECT {Columns} FROM delivery_log WHERE event_id = $e ORDER BY id", eventId, cancellationToken);

    public Task<IReadOnlyList<DeliveryLogEntry>> ReadAllAsync(CancellationToken cancellationToken = default)
        => QueryAsync($"SELECT {Columns} FROM delivery_log ORDER BY id", null, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        queue.Writer.TryComplete();
        await writerLoop.ConfigureAwait(false);
        await writer.DisposeAsync().ConfigureAwait(false);
    }

    private async Task<IReadOnlyList<DeliveryLogEntry>> QueryAsync(string sql, string? eventId, CancellationToken ct)
    {
        try
        {
            return await ReadRowsAsync(sql, eventId, ct).ConfigureAwait(false);
        }
        catch (SqliteException e)
        {
            throw Unavailable(e);
        }
    }

    private async Task<IReadOnlyList<DeliveryLogEntry>> ReadRowsAsync(string sql, string? eventId, CancellationToken ct)
    {
        await using var c = await OpenAsync(ct).ConfigureAwait(false);
        await using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        if (eventId is not null)
        {
            cmd.Parameters.AddWithValue("$e", eventId);
        }

        var rows = new List<DeliveryLogEntry>();
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await r.ReadAsync(ct).ConfigureAwait(false))
        {
            rows.Add(new DeliveryLogEntry(
                r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetInt32(4), r.GetString(5),
                r.IsDBNull(6) ? null : r.GetString(6), r.IsDBNull(7) ? null : r.GetString(7), r.IsDBNull(8) ? null : r.GetString(8),
                r.IsDBNull(9) ? null : r.GetString(9), r.IsDBNull(10) ? null : r.GetString(10),
                DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(11)), DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(12))));
        }

        return rows;
    }

    private async Task<SqliteConnection> OpenAsync(CancellationToken ct)
    {
        var c = new SqliteConnection(connectionString);
        await c.OpenAsync(ct).ConfigureAwait(false);
        return c;
    }

    private void Enqueue(Work work)
    {
        if (!queue.Writer.TryWrite(work))
        {
            throw new ObjectDisposedException(nameof(SqliteDeliveryLog));
        }
    }

    private async Task WriteLoopAsync()
    {
        var batch = new List<Append>(batchSize);
        var lookups = new List<Lookup>();
        using var select = writer.CreateCommand();
        select.CommandText = "SELECT 1 FROM delivery_log WHERE event_id = $e AND channel = $c AND target = $t AND outcome = 'delivered' LIMIT 1";
        var (selectEvent, selectChannel, selectTarget) = (select.Parameters.Add("$e", SqliteType.Text), select.Parameters.Add("$c", SqliteType.Text), select.Parameters.Add("$t", SqliteType.Text));
        using var insert = writer.CreateCommand();
        insert.CommandText = $"INSERT INTO delivery_log ({Columns}) VALUES ($e, $c, $t, $o, $a, $u, $cat, $p, $pm, $r, $err, $req, $occ)";
        var names = new[] { "$e", "$c", "$t", "$o", "$a", "$u", "$cat", "$p", "$pm", "$r", "$err", "$req", "$occ" };
        var parameters = names.Select(n => insert.Parameters.Add(n, SqliteType.Text)).ToArray();
        while (await queue.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (batch.Count < batchSize && lookups.Count < batchSize && queue.Reader.TryRead(out var item))
            {
                if (item is Append a)
                {
                    batch.Add(a);
                }
                else
                {
                    lookups.Add((Lookup)item);
                }
            }

            foreach (var l in lookups)
            {
                try
                {
                    (selectEvent.Value, selectChannel.Value, selectTarget.Value) = (l.EventId, l.Channel, l.Target);
                    l.Done.TrySetResult(select.ExecuteScalar() is not null);
                }
                catch (SqliteException ex)
                {
                    l.Done.TrySetException(Unavailable(ex));
                }
            }

            lookups.Clear();
            if (batch.Count == 0)
            {
                continue;
            }

            try
            {
                using var tx = writer.BeginTransaction();
                insert.Transaction = tx;
                foreach (var e in batch.Select(a => a.Entry))
                {
                    object?[] values =
                    [
                        e.EventId, e.Channel, e.Target, e.Outcome, e.Attempt, e.UserId, e.Category, e.Provider,
                        e.ProviderMessageId, e.Reason, e.Error, e.RequestedAt.ToUnixTimeMilliseconds(), e.OccurredAt.ToUnixTimeMilliseconds(),
                    ];
                    for (var i = 0; i < values.Length; i++)
                    {
                        parameters[i].Value = values[i] ?? DBNull.Value;
                    }

                    insert.ExecuteNonQuery();
                }

                tx.Commit();
                foreach (var a in batch)
                {
                    a.Done.TrySetResult();
                }
            }
            catch (SqliteException ex)
            {
                foreach (var a in batch)
                {
                    a.Done.TrySetException(Unavailable(ex));
                }
            }

            batch.Clear();
        }
    }

    private abstract class Work;

    private sealed class Append(DeliveryLogEntry entry) : Work
    {
        public DeliveryLogEntry Entry { get; } = entry;

        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private sealed class Lookup(string eventId, string channel, string target) : Work
    {
        public string EventId { get; } = eventId;

        public string Channel { get; } = channel;

        public string Target { get; } = target;

        public TaskCompletionSource<bool> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private static DeliveryLogUnavailableException Unavailable(SqliteException e) => new($"SQLite delivery log: {e.Message}", e);

    private static void Execute(SqliteConnection c, string sql)
    {
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }
}
