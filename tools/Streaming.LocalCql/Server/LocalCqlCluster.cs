using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace Streaming.LocalCql.Server;

/// <summary>
/// Several <see cref="LocalCqlServer"/> nodes, each on its own port, sharing one engine cluster: a write through one node
/// is read through any, and each node lists the others in system.peers / system.peers_v2 (with their native ports, so
/// nodes on one address stay distinct), as drivers discover a Cassandra ring.
/// </summary>
public sealed class LocalCqlCluster : IAsyncDisposable
{
    private LocalCqlCluster(IReadOnlyList<LocalCqlServer> nodes)
    {
        Nodes = nodes;
    }

    /// <summary>The nodes, in start order.</summary>
    public IReadOnlyList<LocalCqlServer> Nodes { get; }

    /// <summary>Every node's "host:port", for a client's contact points.</summary>
    public IReadOnlyList<string> ContactPoints => [.. Nodes.Select(n => n.Address)];

    /// <summary>
    /// Starts <paramref name="nodeCount"/> nodes. Ports are free ones unless <paramref name="options"/> names a port,
    /// then that port and the ones after it. <paramref name="template"/> gives the cluster name, data center, rack and
    /// release version every node reports.
    /// </summary>
    public static Task<LocalCqlCluster> StartAsync(int nodeCount, LocalCqlServerOptions? options = null, CqlEngineOptions? template = null, ILogger? logger = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(nodeCount, 1);
        var serverOptions = options ?? new LocalCqlServerOptions();
        var listeners = new List<TcpListener>();
        try
        {
            // Every port is bound before any engine exists: each node's peers rows must name the others' real ports.
            for (var i = 0; i < nodeCount; i++)
            {
                listeners.Add(ListenerBinding.Bind(serverOptions.Address, serverOptions.Port == 0 ? 0 : serverOptions.Port + i));
            }

            var engines = CqlEngine.CreateCluster([.. listeners.Select(l => (IPEndPoint)l.LocalEndpoint)], template, serverOptions.Time);
            return Task.FromResult(new LocalCqlCluster([.. listeners.Zip(engines, (l, e) => new LocalCqlServer(l, e, serverOptions, logger))]));
        }
        catch
        {
            listeners.ForEach(l => l.Dispose());
            throw;
        }
    }

    /// <summary>Stops every node.</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (var node in Nodes)
        {
            await node.DisposeAsync().ConfigureAwait(false);
        }
    }
}
