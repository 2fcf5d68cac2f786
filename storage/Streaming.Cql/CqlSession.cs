using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Streaming.Cql.Cluster;
using Streaming.Cql.Protocol;
using Streaming.Cql.Requests;
using Streaming.Cql.Results;
using Streaming.Cql.Statements;

namespace Streaming.Cql;

/// <summary>
/// The entry point: connects to the contact points, keeps connection pools to them, and executes statements with
/// the options' defaults, retries and transparent re-preparation. Thread-safe; share one per process and cluster.
/// </summary>
public sealed class CqlSession : IAsyncDisposable
{
    private readonly CqlCluster _cluster;
    private readonly RequestBuilder _builder;
    private readonly RequestHandler _handler;
    private readonly PreparedStatementCache _prepared = new();
    private int _disposed;

    private CqlSession(CqlCluster cluster, CqlClientOptions options, ILoggerFactory loggerFactory)
    {
        _cluster = cluster;
        _builder = new RequestBuilder(options, new TimestampGenerator(TimeProvider.System));
        _handler = new RequestHandler(cluster, options.RetryPolicy ?? DefaultRetryPolicy.Instance, _builder, options, loggerFactory.CreateLogger<CqlSession>());
    }

    /// <summary>The contact points with their state.</summary>
    public IReadOnlyList<CqlHost> Hosts => _cluster.Hosts;

    /// <summary>The keyspace unqualified names resolve in (from the options, or the last USE run through the session).</summary>
    public string? Keyspace => _cluster.Keyspace;

    /// <summary>
    /// Connects to all contact points at once and returns when at least one is up; hosts that failed keep
    /// reconnecting in the background. Throws <see cref="NoHostAvailableException"/> when none could be reached.
    /// </summary>
    public static async Task<CqlSession> ConnectAsync(CqlClientOptions options, ILoggerFactory? loggerFactory = null, CancellationToken cancellationToken = default)
    {
        options.Validate();
        loggerFactory ??= NullLoggerFactory.Instance;
        var cluster = await CqlCluster.ConnectAsync(options, loggerFactory, cancellationToken).ConfigureAwait(false);
        return new CqlSession(cluster, options, loggerFactory);
    }

    /// <summary>Executes a query without values (DDL, USE, a literal SELECT).</summary>
    public Task<RowSet> ExecuteAsync(string query, CancellationToken cancellationToken = default)
        => ExecuteAsync(new SimpleStatement(query), cancellationToken);

    /// <summary>Executes a simple, bound or batch statement and returns its (first) page.</summary>
    public Task<RowSet> ExecuteAsync(Statement statement, CancellationToken cancellationToken = default)
        => ExecutePageAsync(statement, null, null, cancellationToken);

    /// <summary>Prepares <paramref name="query"/> once per keyspace; later calls return the cached statement.</summary>
    public Task<PreparedStatement> PrepareAsync(string query, CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        var keyspace = _cluster.Keyspace;
        return _prepared.GetOrPrepareAsync(keyspace, query, () => PrepareOnClusterAsync(keyspace, query)).WaitAsync(cancellationToken);
    }

    /// <summary>Every row of a SELECT, fetching the next page (by its paging state) when the current one is consumed.</summary>
    public async IAsyncEnumerable<Row> QueryAsync(Statement statement, int? pageSize = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var pagingState = statement.PagingState;
        do
        {
            var page = await ExecutePageAsync(statement, pageSize, pagingState, cancellationToken).ConfigureAwait(false);
            foreach (var row in page)
            {
                yield return row;
            }

            pagingState = page.PagingState;
        }
        while (pagingState is not null);
    }

    /// <summary>Every row of a query without values, page by page.</summary>
    public IAsyncEnumerable<Row> QueryAsync(string query, int? pageSize = null, CancellationToken cancellationToken = default)
        => QueryAsync(new SimpleStatement(query), pageSize, cancellationToken);

    /// <summary>Closes every connection; requests still in flight fail with <see cref="CqlConnectionClosedException"/>.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            await _cluster.DisposeAsync().ConfigureAwait(false);
        }
    }

    private async Task<RowSet> ExecutePageAsync(Statement statement, int? pageSize, byte[]? pagingState, CancellationToken cancellationToken)
    {
        ThrowIfDisposed();
        var request = _builder.Build(statement, pageSize, pagingState);
        var (answer, host) = await _handler.ExecuteAsync(statement, request, cancellationToken).ConfigureAwait(false);
        return RowSetFactory.From(answer, host, (statement as BoundStatement)?.Prepared.ResultMetadata);
    }

    private async Task<PreparedStatement> PrepareOnClusterAsync(string? keyspace, string query)
    {
        // Shared by every caller waiting on this query, so no single caller's cancellation may abort it.
        var statement = new SimpleStatement(query) { IsIdempotent = true };
        var (answer, host) = await _handler.ExecuteAsync(statement, new PrepareRequest(query), CancellationToken.None).ConfigureAwait(false);
        return answer.Message is PreparedResult prepared
            ? new PreparedStatement(query, keyspace, prepared)
            : throw new CqlProtocolException($"{host} answered PREPARE with {answer.Message.Opcode}.");
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
}
