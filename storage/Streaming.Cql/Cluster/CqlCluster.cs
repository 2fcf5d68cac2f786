using Microsoft.Extensions.Logging;
using Streaming.Cql.Connections;

namespace Streaming.Cql.Cluster;

/// <summary>
/// The hosts of a session with their pools, the query planner, and the session keyspace every connection follows.
/// </summary>
internal sealed class CqlCluster : IAsyncDisposable
{
    private readonly Dictionary<CqlHost, HostConnectionPool> _pools = [];
    private volatile string? _keyspace;

    private CqlCluster(CqlClientOptions options, ILoggerFactory loggerFactory)
    {
        _keyspace = options.Keyspace;
        var factory = new ConnectionFactory(options, loggerFactory);
        var settings = HostPoolSettings.From(options);
        var logger = loggerFactory.CreateLogger<CqlCluster>();
        var endpoints = options.ContactPoints.Select(c => CqlEndpoint.Parse(c, options.DefaultPort)).Distinct().ToList();
        Hosts = endpoints.Select(e => new CqlHost(e)).ToList();
        foreach (var host in Hosts)
        {
            _pools[host] = new HostConnectionPool(host, factory, settings, () => _keyspace, logger);
        }

        Planner = new QueryPlanner(Hosts, options.LocalDatacenter);
    }

    public IReadOnlyList<CqlHost> Hosts { get; }

    public QueryPlanner Planner { get; }

    /// <summary>The keyspace (as CQL text for USE) connections switch to; changed by a USE through the session.</summary>
    public string? Keyspace
    {
        get => _keyspace;
        set => _keyspace = value;
    }

    /// <summary>Connects to every contact point at once; fails with <see cref="NoHostAvailableException"/> when none answers.</summary>
    public static async Task<CqlCluster> ConnectAsync(CqlClientOptions options, ILoggerFactory loggerFactory, CancellationToken cancellationToken)
    {
        var cluster = new CqlCluster(options, loggerFactory);
        try
        {
            await Task.WhenAll(cluster._pools.Values.Select(p => p.WarmUpAsync(cancellationToken))).ConfigureAwait(false);
            if (!cluster.Hosts.Any(h => h.IsUp))
            {
                throw new NoHostAvailableException(cluster.Hosts.ToDictionary(h => h.ToString(), h => h.LastError ?? new CqlException("down")));
            }

            if (options.LocalDatacenter is { } local && !cluster.Hosts.Any(h => h.IsUp && h.Datacenter == local))
            {
                ClusterLog.NoLocalHost(loggerFactory.CreateLogger<CqlCluster>(), local, string.Join(", ", cluster.Hosts.Select(h => $"{h}={h.Datacenter ?? "?"}")));
            }

            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public HostConnectionPool PoolOf(CqlHost host) => _pools[host];

    public async ValueTask DisposeAsync()
    {
        foreach (var pool in _pools.Values)
        {
            await pool.DisposeAsync().ConfigureAwait(false);
        }
    }
}
