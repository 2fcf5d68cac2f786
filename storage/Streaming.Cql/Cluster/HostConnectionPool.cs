using Microsoft.Extensions.Logging;
using Streaming.Cql.Connections;

namespace Streaming.Cql.Cluster;

/// <summary>
/// The connections to one host. Requests take the open connection with the fewest requests in flight. A closed
/// connection is replaced in the background; when none is left the host is marked down and reconnection attempts
/// follow the <see cref="ReconnectionSchedule"/> until one succeeds and the host is marked up again.
/// </summary>
internal sealed class HostConnectionPool(CqlHost host, ConnectionFactory factory, HostPoolSettings settings, Func<string?> keyspace, ILogger logger)
    : IAsyncDisposable
{
    private readonly CancellationTokenSource _disposed = new();
    private readonly ReconnectionSchedule _schedule = new(settings.ReconnectBaseDelay, settings.ReconnectMaxDelay);
    private readonly Lock _lock = new();
    private CqlConnection[] _connections = [];
    private Task _fill = Task.CompletedTask;
    private int _filling;

    public CqlHost Host => host;

    private int OpenConnections => Volatile.Read(ref _connections).Length;

    /// <summary>The usable connection with the fewest requests in flight, or null when none is open.</summary>
    public CqlConnection? PickConnection()
    {
        CqlConnection? best = null;
        foreach (var connection in Volatile.Read(ref _connections))
        {
            if (connection.IsUsable && (best is null || connection.InFlight < best.InFlight))
            {
                best = connection;
            }
        }

        return best;
    }

    /// <summary>Opens the pool's connections together; the host is up when at least one opened.</summary>
    public async Task WarmUpAsync(CancellationToken cancellationToken)
    {
        var attempts = Enumerable.Range(0, settings.ConnectionsPerHost).Select(_ => OpenAsync(cancellationToken)).ToList();
        Exception? failure = null;
        foreach (var attempt in attempts)
        {
            try
            {
                Add(await attempt.ConfigureAwait(false));
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                failure ??= e;
            }
        }

        if (OpenConnections > 0)
        {
            MarkUp();
        }
        else
        {
            failure ??= new CqlException("no connection opened");
            ClusterLog.ConnectFailed(logger, host.ToString(), failure.Message);
            MarkDown(failure);
        }

        StartFilling();
    }

    public async ValueTask DisposeAsync()
    {
        await _disposed.CancelAsync().ConfigureAwait(false);
        await _fill.ConfigureAwait(false);
        CqlConnection[] connections;
        lock (_lock)
        {
            connections = _connections;
            _connections = [];
            host.OpenConnections = 0;
        }

        foreach (var connection in connections)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
        }
    }

    private async Task<CqlConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = await factory.OpenAsync(host.Endpoint, keyspace(), cancellationToken).ConfigureAwait(false);
        if (settings.ProbeDatacenter && host.Datacenter is null)
        {
            try
            {
                host.Datacenter = await DatacenterProbe.ReadAsync(connection, settings.ProbeTimeout, cancellationToken).ConfigureAwait(false);
                ClusterLog.DatacenterFound(logger, host.ToString(), host.Datacenter);
            }
            catch (CqlException e)
            {
                ClusterLog.DatacenterUnknown(logger, host.ToString(), e.Message);
            }
        }

        return connection;
    }

    private void Add(CqlConnection connection)
    {
        lock (_lock)
        {
            if (!_disposed.IsCancellationRequested)
            {
                _connections = [.. _connections, connection];
                host.OpenConnections = _connections.Length;
                connection.Closed.ContinueWith(closed => OnClosed(connection, closed.Result), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
                return;
            }
        }

        _ = connection.DisposeAsync().AsTask();
    }

    private void OnClosed(CqlConnection connection, Exception reason)
    {
        lock (_lock)
        {
            _connections = [.. _connections.Where(c => c != connection)];
            host.OpenConnections = _connections.Length;
        }

        if (_disposed.IsCancellationRequested)
        {
            return;
        }

        if (OpenConnections == 0 && reason is not ConnectionRecycledException)
        {
            MarkDown(reason);
        }

        StartFilling();
    }

    private void StartFilling()
    {
        if (OpenConnections < settings.ConnectionsPerHost && !_disposed.IsCancellationRequested && Interlocked.CompareExchange(ref _filling, 1, 0) == 0)
        {
            _fill = Task.Run(FillAsync);
        }
    }

    private async Task FillAsync()
    {
        // A host that is up lost one connection: reopen at once. A down host waits for the schedule first.
        var attempt = host.IsUp ? 0 : 1;
        try
        {
            while (!_disposed.IsCancellationRequested && OpenConnections < settings.ConnectionsPerHost)
            {
                if (attempt > 0)
                {
                    var delay = _schedule.DelayBefore(attempt - 1);
                    ClusterLog.ReconnectScheduled(logger, host.ToString(), attempt, delay.TotalMilliseconds);
                    await Task.Delay(delay, _disposed.Token).ConfigureAwait(false);
                }

                try
                {
                    Add(await OpenAsync(_disposed.Token).ConfigureAwait(false));
                    MarkUp();
                    attempt = 0;
                }
                catch (Exception e) when (!_disposed.IsCancellationRequested)
                {
                    ClusterLog.ConnectFailed(logger, host.ToString(), e.Message);
                    if (OpenConnections == 0)
                    {
                        MarkDown(e);
                    }

                    attempt++;
                }
            }
        }
        catch (Exception) when (_disposed.IsCancellationRequested)
        {
            // Disposing: a connect that failed (or was cancelled) on the way out no longer matters, and must not make
            // the session's dispose throw.
        }
        finally
        {
            Volatile.Write(ref _filling, 0);
        }

        // A connection that closed while this loop was finishing found the loop still running; look again.
        StartFilling();
    }

    private void MarkUp()
    {
        if (host.MarkUp())
        {
            ClusterLog.HostUp(logger, host.ToString(), OpenConnections);
            CqlMetrics.HostState(up: true);
        }
    }

    private void MarkDown(Exception reason)
    {
        if (host.MarkDown(reason))
        {
            ClusterLog.HostDown(logger, host.ToString(), reason.Message);
            CqlMetrics.HostState(up: false);
        }
    }
}

/// <summary>What a host pool needs from the options.</summary>
internal sealed record HostPoolSettings(int ConnectionsPerHost, TimeSpan ReconnectBaseDelay, TimeSpan ReconnectMaxDelay, bool ProbeDatacenter, TimeSpan ProbeTimeout)
{
    public static HostPoolSettings From(CqlClientOptions options) => new(
        options.ConnectionsPerHost, options.ReconnectBaseDelay, options.ReconnectMaxDelay, options.LocalDatacenter is not null, options.ConnectTimeout);
}
