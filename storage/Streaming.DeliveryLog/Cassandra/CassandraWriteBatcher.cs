using System.Threading.Channels;
using Streaming.Cql;
using Streaming.Cql.Statements;

namespace Streaming.DeliveryLog;

/// <summary>
/// Group commit for the Cassandra log: rows queued by many callers go out as unlogged batches of up to
/// <see cref="CassandraDeliveryLogOptions.BatchSize"/>, with up to <see cref="CassandraDeliveryLogOptions.MaxConcurrentWrites"/>
/// batches in flight on the multiplexed connections. Each caller completes when its batch is acknowledged.
/// </summary>
/// <remarks>
/// Unlogged, because each row is an idempotent upsert: a batch that times out is simply sent again, and nothing needs
/// the batch log's all-or-nothing. Small, because a batch spanning many partitions makes its coordinator do the fan-out.
/// </remarks>
internal sealed class CassandraWriteBatcher : IAsyncDisposable
{
    private readonly Channel<PendingRow> queue = Channel.CreateUnbounded<PendingRow>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Func<CancellationToken, Task<CassandraStatements>> statements;
    private readonly CassandraDeliveryLogOptions options;
    private readonly SemaphoreSlim inFlight;
    private readonly Task loop;

    public CassandraWriteBatcher(Func<CancellationToken, Task<CassandraStatements>> statements, CassandraDeliveryLogOptions options)
    {
        this.statements = statements;
        this.options = options;
        inFlight = new SemaphoreSlim(options.MaxConcurrentWrites);
        loop = Task.Run(RunAsync);
    }

    public Task WriteAsync(DeliveryLogEntry entry, CancellationToken ct)
    {
        var row = new PendingRow(entry, ct);
        if (!queue.Writer.TryWrite(row))
        {
            throw new ObjectDisposedException(nameof(CassandraDeliveryLog));
        }

        return row.Done.Task;
    }

    public async ValueTask DisposeAsync()
    {
        queue.Writer.TryComplete();
        await loop.ConfigureAwait(false);
        for (var i = 0; i < options.MaxConcurrentWrites; i++)
        {
            await inFlight.WaitAsync().ConfigureAwait(false); // the last batches finish before the session goes
        }

        inFlight.Dispose();
    }

    private async Task RunAsync()
    {
        var batch = new List<PendingRow>(options.BatchSize);
        while (await queue.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (batch.Count < options.BatchSize && queue.Reader.TryRead(out var row))
            {
                if (!row.Cancellation.IsCancellationRequested)
                {
                    batch.Add(row);
                }
                else
                {
                    row.Done.TrySetCanceled(row.Cancellation);
                }
            }

            if (batch.Count == 0)
            {
                continue;
            }

            await inFlight.WaitAsync().ConfigureAwait(false);
            _ = SendAsync([.. batch]);
            batch.Clear();
        }
    }

    private async Task SendAsync(PendingRow[] rows)
    {
        try
        {
            var prepared = await statements(CancellationToken.None).ConfigureAwait(false);
            Statement statement = rows.Length == 1
                ? prepared.Insert(rows[0].Entry)
                : new BatchStatement(BatchType.Unlogged).AddRange(rows.Select(r => prepared.Insert(r.Entry)));
            await prepared.Session.ExecuteAsync(statement.WithConsistency(options.Consistency).WithIdempotence(true), CancellationToken.None).ConfigureAwait(false);
            foreach (var row in rows)
            {
                row.Done.TrySetResult();
            }
        }
        catch (Exception e)
        {
            var failure = e as DeliveryLogUnavailableException ?? new DeliveryLogUnavailableException($"Cassandra delivery log: {e.Message}", e);
            foreach (var row in rows)
            {
                row.Done.TrySetException(failure);
            }
        }
        finally
        {
            inFlight.Release();
        }
    }

    private sealed record PendingRow(DeliveryLogEntry Entry, CancellationToken Cancellation)
    {
        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
