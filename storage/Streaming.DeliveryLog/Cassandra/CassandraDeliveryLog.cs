using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Streaming.Contracts;
using Streaming.Cql;

namespace Streaming.DeliveryLog;

/// <summary>
/// The delivery log on Cassandra, shared by every sender and API instance: rows by event ID (one partition per event),
/// the pre-send check a single-partition read, writes group-committed and pipelined (<see cref="CassandraWriteBatcher"/>),
/// every row with a TTL. Reads and writes at <see cref="CassandraDeliveryLogOptions.Consistency"/> (LOCAL_QUORUM), so a
/// row one instance wrote is seen by the next owner of the partition after a rebalance.
/// </summary>
/// <remarks>
/// The connection is made in the background and again after it failed, so a sender that starts before Cassandra keeps
/// its records (every call fails with <see cref="DeliveryLogUnavailableException"/>, which the senders retry) instead of
/// failing its start.
/// </remarks>
public sealed class CassandraDeliveryLog : IDeliveryLog
{
    private readonly CassandraDeliveryLogOptions options;
    private readonly ILoggerFactory loggers;
    private readonly ILogger logger;
    private readonly CassandraWriteBatcher writes;
    private readonly CancellationTokenSource closing = new();
    private readonly Lock gate = new();
    private Task<CassandraStatements> ready;

    public CassandraDeliveryLog(CassandraDeliveryLogOptions options, ILoggerFactory? loggerFactory = null)
    {
        var problems = options.Problems().ToList();
        if (problems.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", problems), nameof(options));
        }

        this.options = options;
        loggers = loggerFactory ?? NullLoggerFactory.Instance;
        logger = loggers.CreateLogger<CassandraDeliveryLog>();
        ready = ConnectAsync();
        writes = new CassandraWriteBatcher(ReadyAsync, options);
    }

    /// <summary>Completes once connected (schema created if configured, statements prepared); throws what the last attempt hit.</summary>
    public Task WaitUntilReadyAsync(CancellationToken cancellationToken = default) => ReadyAsync(cancellationToken);

    public Task AppendAsync(DeliveryLogEntry entry, CancellationToken cancellationToken = default) => writes.WriteAsync(entry, cancellationToken);

    public async Task<bool> WasDeliveredAsync(string eventId, string channel, string target, CancellationToken cancellationToken = default)
    {
        var rows = await RunAsync(s => s.Session.ExecuteAsync(s.OutcomesOfTarget(eventId, channel, target), cancellationToken), cancellationToken).ConfigureAwait(false);
        return rows.Any(r => r.GetString(0) == Outcomes.Delivered);
    }

    public Task<IReadOnlyList<DeliveryLogEntry>> ReadAsync(string eventId, CancellationToken cancellationToken = default)
        => RunAsync(s => Collect(s.Session.QueryAsync(s.RowsOf(eventId), cancellationToken: cancellationToken)), cancellationToken);

    /// <summary>Every row: a scan of the whole table, page by page, for tools and tests.</summary>
    public Task<IReadOnlyList<DeliveryLogEntry>> ReadAllAsync(CancellationToken cancellationToken = default)
        => RunAsync(s => Collect(s.Session.QueryAsync(CassandraStatements.AllRows(), cancellationToken: cancellationToken)), cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await writes.DisposeAsync().ConfigureAwait(false);
        await closing.CancelAsync().ConfigureAwait(false);
        if (await ready.ContinueWith(t => t.IsCompletedSuccessfully ? t.Result : null, TaskScheduler.Default).ConfigureAwait(false) is { } statements)
        {
            await statements.Session.DisposeAsync().ConfigureAwait(false);
        }

        closing.Dispose();
    }

    private async Task<T> RunAsync<T>(Func<CassandraStatements, Task<T>> call, CancellationToken ct)
    {
        var statements = await ReadyAsync(ct).ConfigureAwait(false);
        try
        {
            return await call(statements).ConfigureAwait(false);
        }
        catch (CqlException e)
        {
            throw new DeliveryLogUnavailableException($"Cassandra delivery log: {e.Message}", e);
        }
    }

    private async Task<CassandraStatements> ReadyAsync(CancellationToken ct)
    {
        Task<CassandraStatements> attempt;
        lock (gate)
        {
            attempt = ready;
        }

        try
        {
            return await attempt.WaitAsync(ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            lock (gate)
            {
                if (ReferenceEquals(ready, attempt) && !closing.IsCancellationRequested)
                {
                    ready = ConnectAsync(); // the next caller waits for a fresh attempt
                }
            }

            throw e as DeliveryLogUnavailableException ?? new DeliveryLogUnavailableException($"Cassandra delivery log not connected: {e.Message}", e);
        }
    }

    private async Task<CassandraStatements> ConnectAsync()
    {
        await Task.Yield();
        try
        {
            if (options.CreateSchema)
            {
                await using var admin = await CqlSession.ConnectAsync(options.ClientOptions(withKeyspace: false), loggers, closing.Token).ConfigureAwait(false);
                await CassandraSchema.ApplyAsync(admin, options.Keyspace, closing.Token).ConfigureAwait(false);
            }

            var session = await CqlSession.ConnectAsync(options.ClientOptions(withKeyspace: true), loggers, closing.Token).ConfigureAwait(false);
            var statements = await CassandraStatements.PrepareAsync(session, options, closing.Token).ConfigureAwait(false);
            DeliveryLogLog.Connected(logger, string.Join(",", options.ContactPoints), options.Keyspace, options.Consistency.ToString());
            return statements;
        }
        catch (Exception e) when (e is CqlException or IOException or System.Net.Sockets.SocketException)
        {
            DeliveryLogLog.ConnectFailed(logger, string.Join(",", options.ContactPoints), e.Message);
            throw new DeliveryLogUnavailableException($"Cassandra delivery log: cannot connect to {string.Join(",", options.ContactPoints)}: {e.Message}", e);
        }
    }

    private static async Task<IReadOnlyList<DeliveryLogEntry>> Collect(IAsyncEnumerable<Cql.Results.Row> rows)
    {
        var entries = new List<DeliveryLogEntry>();
        await foreach (var row in rows.ConfigureAwait(false))
        {
            entries.Add(CassandraStatements.Entry(row));
        }

        return entries;
    }
}
