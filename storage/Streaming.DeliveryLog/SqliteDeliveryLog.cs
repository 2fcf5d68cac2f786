using System.Threading.Channels;
using Microsoft.Data.Sqlite;

namespace Streaming.DeliveryLog;

/// <summary>
/// SQLite delivery log: one file, WAL journal (readers never block the writer), and one writer task that commits
/// queued rows in batches (group commit), completing each caller's task after its batch committed. The writer task
/// also answers <see cref="WasDeliveredAsync"/>, with one prepared statement on its own connection.
/// </summary>
/// <remarks>
/// Why the lookups go through the writer: the senders ask once per record, and a fresh pooled connection per question
/// prepares the statement again and starts from a cold page cache. The writer's connection has the index pages cached,
/// and the lookups of one batch run before its inserts, so they see committed rows only. One file serves one machine:
/// a fleet of senders shares <see cref="CassandraDeliveryLog"/> instead.
/// </remarks>
public sealed class SqliteDeliveryLog : IDeliveryLog
{
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
        SqliteSchema.Create(writer, options.Synchronous);
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
        => QueryAsync($"SELECT {SqliteSchema.Columns} FROM delivery_log WHERE event_id = $e ORDER BY id", eventId, cancellationToken);

    public Task<IReadOnlyList<DeliveryLogEntry>> ReadAllAsync(CancellationToken cancellationToken = default)
        => QueryAsync($"SELECT {SqliteSchema.Columns} FROM delivery_log ORDER BY id", null, cancellationToken);

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
            rows.Add(SqliteSchema.Read(r));
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
        select.CommandText = SqliteSchema.WasDelivered;
        var (selectEvent, selectChannel, selectTarget) = (select.Parameters.Add("$e", SqliteType.Text), select.Parameters.Add("$c", SqliteType.Text), select.Parameters.Add("$t", SqliteType.Text));
        using var insert = writer.CreateCommand();
        insert.CommandText = SqliteSchema.Insert;
        var parameters = SqliteSchema.Parameters.Select(n => insert.Parameters.Add(n, SqliteType.Text)).ToArray();
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
                    var values = SqliteSchema.Values(e);
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
}
